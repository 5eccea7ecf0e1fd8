package io.samsa.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code samsa transactions find-hanging (--broker-id N | --topic T [--partition P]) [--max-transaction-timeout MIN]}:
 * transactions left open on partitions with no coordinator to finish them (KIP-664), found as
 * {@code kafka-transactions find-hanging} does: DescribeProducers on the partitions in scope, ListTransactions by the
 * producer ids of the transactions open longer than the timeout (minutes, default 15), DescribeTransactions of their
 * ids ({@link HangingTransactions}). Rows: Topic Partition ProducerId ProducerEpoch CoordinatorEpoch StartOffset
 * LastTimestamp Duration(min).
 */
@Command(name = "find-hanging", description = "Find hanging transactions.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa transactions find-hanging --broker-id 1",
            "  samsa transactions find-hanging --topic events --partition 0 \\",
            "      --max-transaction-timeout 15"
        })
final class TransactionsFindHangingCommand extends AdminCommand {
    private static final int BATCH = 500;

    @Option(names = "--broker-id", paramLabel = "N", description = "Search the partitions with a replica on this broker.")
    Integer brokerId;

    @Option(names = "--topic", paramLabel = "T", description = "Search this topic (required with --partition).")
    String topic;

    @Option(names = "--partition", paramLabel = "P", description = "Search this partition only.")
    Integer partition;

    @Option(names = "--max-transaction-timeout", paramLabel = "MIN", defaultValue = "15",
            description = "Maximum transaction timeout in minutes; only transactions open longer are searched "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxTransactionTimeoutMinutes;

    @Override
    int run(Admin admin) throws Exception {
        if (topic == null && brokerId == null) {
            throw new ParameterException(spec.commandLine(),
                    "find-hanging requires either --topic or --broker-id to limit the scope of the search");
        }
        if (partition != null && topic == null) {
            throw new ParameterException(spec.commandLine(), "--partition requires --topic");
        }
        List<TopicPartition> partitions = partitionsToSearch(admin);
        Map<TopicPartition, List<ProducerState>> producers = new HashMap<>();
        DescribeProducersOptions options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(brokerId);
        }
        for (int i = 0; i < partitions.size(); i += BATCH) {
            List<TopicPartition> batch = partitions.subList(i, Math.min(partitions.size(), i + BATCH));
            try {
                admin.describeProducers(batch, options).all().get()
                        .forEach((tp, state) -> producers.put(tp, state.activeProducers()));
            } catch (ExecutionException e) {
                throw TransactionsCommand.failure("Failed to describe producers for " + batch.size()
                        + " partitions" + (brokerId == null ? "" : " on broker " + brokerId), e.getCause());
            }
        }
        long now = System.currentTimeMillis();
        List<HangingTransactions.OpenTransaction> candidates = HangingTransactions.candidates(producers, now,
                TimeUnit.MINUTES.toMillis(maxTransactionTimeoutMinutes));
        List<HangingTransactions.OpenTransaction> hanging = List.of();
        if (!candidates.isEmpty()) {
            Map<Long, String> transactionalIds = transactionalIds(admin, candidates);
            hanging = HangingTransactions.hanging(candidates, transactionalIds,
                    descriptions(admin, new HashSet<>(transactionalIds.values())));
        }
        TextTable table = new TextTable("Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch",
                "StartOffset", "LastTimestamp", "Duration(min)");
        for (HangingTransactions.OpenTransaction t : hanging) {
            ProducerState p = t.producer();
            table.add(t.partition().topic(), t.partition().partition(), p.producerId(), p.producerEpoch(),
                    p.coordinatorEpoch().orElse(-1), p.currentTransactionStartOffset().orElse(-1),
                    p.lastTimestamp(), TimeUnit.MILLISECONDS.toMinutes(now - p.lastTimestamp()));
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }

    private List<TopicPartition> partitionsToSearch(Admin admin) throws InterruptedException {
        if (topic != null && partition != null) {
            return List.of(new TopicPartition(topic, partition));
        }
        try {
            List<String> topics = topic != null ? List.of(topic)
                    : new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
            List<TopicPartition> partitions = new ArrayList<>();
            described.forEach((name, d) -> d.partitions().forEach(p -> {
                if (brokerId == null || p.replicas().stream().anyMatch(n -> n.id() == brokerId)) {
                    partitions.add(new TopicPartition(name, p.partition()));
                }
            }));
            partitions.sort(GroupsDescribeCommand.ORDER);
            return partitions;
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to describe topics", e.getCause());
        }
    }

    private Map<Long, String> transactionalIds(Admin admin, List<HangingTransactions.OpenTransaction> candidates)
            throws InterruptedException {
        Set<Long> ids = new HashSet<>();
        candidates.forEach(t -> ids.add(t.producer().producerId()));
        try {
            Map<Long, String> byProducer = new HashMap<>();
            admin.listTransactions(new ListTransactionsOptions().filterProducerIds(ids)).all().get().stream()
                    .filter(l -> ids.contains(l.producerId()))
                    .forEach(l -> byProducer.put(l.producerId(), l.transactionalId()));
            return byProducer;
        } catch (ExecutionException e) {
            throw TransactionsCommand.failure("Failed to list transactions for " + ids.size() + " producers",
                    e.getCause());
        }
    }

    private Map<String, TransactionDescription> descriptions(Admin admin, Set<String> ids)
            throws InterruptedException {
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        if (ids.isEmpty()) {
            return descriptions;
        }
        DescribeTransactionsResult result = admin.describeTransactions(ids);
        for (String id : ids) {
            try {
                descriptions.put(id, result.description(id).get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                    throw TransactionsCommand.failure("Failed to describe " + ids.size() + " transactions",
                            e.getCause());
                }
            }
        }
        return descriptions;
    }
}
