package io.samsa.cli;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa transactions describe-producers --topic T --partition P [--broker-id N]}: the active producers of one
 * partition (DescribeProducers, KIP-664) on its leader or on replica N, as {@code kafka-transactions
 * describe-producers}: ProducerId ProducerEpoch LatestCoordinatorEpoch LastSequence LastTimestamp
 * CurrentTransactionStartOffset ("None" when no transaction is open).
 */
@Command(name = "describe-producers", description = "Describe the active producers of a partition.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa transactions describe-producers --topic events --partition 0",
            "  samsa transactions describe-producers --topic events --partition 0 \\",
            "      --broker-id 2"
        })
final class TransactionsDescribeProducersCommand extends AdminCommand {
    @Option(names = "--topic", required = true, paramLabel = "T", description = "The topic.")
    String topic;

    @Option(names = "--partition", required = true, paramLabel = "P", description = "The partition.")
    int partition;

    @Option(names = "--broker-id", paramLabel = "N", description = "Ask this replica instead of the leader.")
    Integer brokerId;

    @Override
    int run(Admin admin) throws Exception {
        TopicPartition tp = new TopicPartition(topic, partition);
        DescribeProducersOptions options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(brokerId);
        }
        PartitionProducerState state;
        try {
            state = admin.describeProducers(List.of(tp), options).partitionResult(tp).get();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to describe producers for partition " + tp + " on "
                    + (brokerId == null ? "leader" : "broker " + brokerId), e.getCause());
        }
        TextTable table = new TextTable("ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch", "LastSequence",
                "LastTimestamp", "CurrentTransactionStartOffset");
        for (ProducerState p : state.activeProducers()) {
            table.add(p.producerId(), p.producerEpoch(), p.coordinatorEpoch().orElse(-1), p.lastSequence(),
                    p.lastTimestamp(), p.currentTransactionStartOffset().isPresent()
                            ? Long.toString(p.currentTransactionStartOffset().getAsLong()) : "None");
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
