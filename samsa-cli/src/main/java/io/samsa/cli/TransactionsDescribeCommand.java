package io.samsa.cli;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa transactions describe --transactional-id ID}: the coordinator's view of one transactional id
 * (DescribeTransactions), one row as {@code kafka-transactions describe}: CoordinatorId TransactionalId ProducerId
 * ProducerEpoch TransactionState TransactionTimeoutMs CurrentTransactionStartTimeMs TransactionDurationMs
 * TopicPartitions ("None" when no transaction is open; durations in ms from this machine's clock).
 */
@Command(name = "describe", description = "Describe the state of a transactional id.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa transactions describe --transactional-id copier"
        })
final class TransactionsDescribeCommand extends AdminCommand {
    @Option(names = "--transactional-id", required = true, paramLabel = "ID", description = "The transactional id.")
    String transactionalId;

    @Override
    int run(Admin admin) throws Exception {
        TransactionDescription d;
        try {
            d = admin.describeTransactions(Set.of(transactionalId)).description(transactionalId).get();
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure(
                    "Failed to describe transaction state of transactional-id `" + transactionalId + "`",
                    e.getCause());
        }
        String start = d.transactionStartTimeMs().isPresent()
                ? Long.toString(d.transactionStartTimeMs().getAsLong()) : "None";
        String duration = d.transactionStartTimeMs().isPresent()
                ? Long.toString(System.currentTimeMillis() - d.transactionStartTimeMs().getAsLong()) : "None";
        String partitions = d.topicPartitions().stream().sorted(GroupsDescribeCommand.ORDER)
                .map(TopicPartition::toString).collect(Collectors.joining(","));
        new TextTable("CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState",
                "TransactionTimeoutMs", "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions")
                .add(d.coordinatorId(), transactionalId, d.producerId(), d.producerEpoch(), d.state(),
                        d.transactionTimeoutMs(), start, duration, partitions)
                .print(spec.commandLine().getOut());
        return 0;
    }
}
