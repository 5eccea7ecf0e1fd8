package io.samsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code samsa perf}: load tests against any Kafka-protocol cluster, with kafka-clients. {@code produce} measures
 * send→ack latency and throughput (as Kafka's {@code ProducerPerformance}), {@code consume} read throughput (as
 * {@code ConsumerPerformance}), {@code e2e} the time from send to receipt by a consumer.
 */
@Command(
        name = "perf",
        description = "Load-test a cluster: produce, consume, or end-to-end latency.",
        mixinStandardHelpOptions = true,
        subcommands = {PerfProduceCommand.class, PerfConsumeCommand.class, PerfE2eCommand.class},
        footer = {"", "Examples:",
            "  samsa perf produce --topic perf --records 1000000 --partitions 6",
            "  samsa perf produce --records 200000 --rate 20000 --acks 1 --json",
            "  samsa perf consume --topic perf --records 1000000 --group readers",
            "  samsa perf e2e --records 20000 --rate 2000 --record-size 512"})
final class PerfCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: produce, consume or e2e");
    }
}
