package io.samsa.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa transactions abort --topic T --partition P --start-offset O}: aborts a hanging transaction on one
 * partition (KIP-664: the leader writes an abort marker through WriteTxnMarkers). With {@code --start-offset} the
 * producer is found with DescribeProducers (the open transaction that starts at that offset); the older form gives
 * {@code --producer-id}, {@code --producer-epoch} and {@code --coordinator-epoch} (a negative coordinator epoch is
 * sent as 0, as Kafka's tool does). Prints nothing on success.
 */
@Command(name = "abort", description = "Abort a hanging transaction (requires administrative privileges).",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa transactions abort --topic events --partition 0 --start-offset 42"
        })
final class TransactionsAbortCommand extends AdminCommand {
    @Option(names = "--topic", required = true, paramLabel = "T", description = "The topic.")
    String topic;

    @Option(names = "--partition", required = true, paramLabel = "P", description = "The partition.")
    int partition;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Either the start offset (brokers 3.0+) or the producer's id and epochs (older brokers). */
    static final class Target {
        @Option(names = "--start-offset", required = true, paramLabel = "O",
                description = "Start offset of the transaction to abort.")
        Long startOffset;

        @ArgGroup(exclusive = false)
        Producer producer;
    }

    /** The explicit form: all three are needed. */
    static final class Producer {
        @Option(names = "--producer-id", required = true, paramLabel = "ID", description = "Producer id.")
        long producerId;

        @Option(names = "--producer-epoch", required = true, paramLabel = "E", description = "Producer epoch.")
        short producerEpoch;

        @Option(names = "--coordinator-epoch", required = true, paramLabel = "E", description = "Coordinator epoch.")
        int coordinatorEpoch;
    }

    @Override
    int run(Admin admin) throws Exception {
        TopicPartition tp = new TopicPartition(topic, partition);
        AbortTransactionSpec abort = target.startOffset != null ? fromStartOffset(admin, tp, target.startOffset)
                : new AbortTransactionSpec(tp, target.producer.producerId, target.producer.producerEpoch,
                        Math.max(0, target.producer.coordinatorEpoch));
        try {
            admin.abortTransaction(abort).all().get();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to abort transaction " + abort, e.getCause());
        }
        return 0;
    }

    private static AbortTransactionSpec fromStartOffset(Admin admin, TopicPartition tp, long startOffset)
            throws InterruptedException {
        List<ProducerState> producers;
        try {
            producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to validate producer state for partition " + tp, e.getCause());
        }
        Optional<ProducerState> open = producers.stream()
                .filter(p -> p.currentTransactionStartOffset().isPresent()
                        && p.currentTransactionStartOffset().getAsLong() == startOffset)
                .findFirst();
        ProducerState p = open.orElseThrow(() -> new CliException(
                "Could not find any open transactions starting at offset " + startOffset + " on partition " + tp));
        return new AbortTransactionSpec(tp, p.producerId(), (short) p.producerEpoch(), p.coordinatorEpoch().orElse(0));
    }
}
