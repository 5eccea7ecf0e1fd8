package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under faults on three {@code samsa server} processes: a {@link TransactionalCopier} (read_committed in,
 * transactional out, offsets sent to the transaction) copies 3,000 records while first the leader of an output
 * partition and then the transaction coordinator of the copier's transactional id are killed with SIGKILL and
 * restarted. Read with read_committed, the output holds every input record exactly once, each partition in the
 * input's order, and the group's committed offsets are the input's end offsets.
 */
class ClusterTransactionsIT {
    static final int PARTITIONS = 3;
    static final int RECORDS = 3_000;
    static final String IN = "copy-in";
    static final String OUT = "copy-out";

    @TempDir
    Path dir;

    /** Something done to node {@code id} of a running cluster (kill, start). */
    @FunctionalInterface
    interface NodeAction {
        void apply(int id) throws Exception;
    }

    @Test
    void aTransactionalCopierCopiesEachRecordOnceWhileALeaderAndTheCoordinatorAreKilled() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.startLoopback(dir, 3, Map.of(
                "transaction.state.log.num.partitions", "6",
                "offsets.topic.num.partitions", "6",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"))) {
            copyUnderFaults(cluster.bootstrapServers(), cluster::kill, cluster::start);
        }
    }

    /** The scenario, on any three-node cluster whose nodes can be killed and started. */
    static void copyUnderFaults(String bootstrap, NodeAction kill, NodeAction start) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            // Given 3,000 records on three partitions, replicated three times
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(topic(IN), topic(OUT))).all().get(10, TimeUnit.SECONDS);
                return true;
            });
            List<List<String>> input = produceInput(bootstrap);

            try (TransactionalCopier copier = new TransactionalCopier(bootstrap, IN, OUT)) {
                // When the copier runs, and the leader of copy-out-0 is killed once a third is copied...
                copier.limit.set(2 * RECORDS / 3);
                copier.start();
                awaitCopied(copier, RECORDS / 3);
                int leader = leaderOf(admin, new TopicPartition(OUT, 0));
                kill.apply(leader);
                awaitCopied(copier, RECORDS / 2);
                start.apply(leader);
                awaitFullIsr(admin);

                // ...and the copier's transaction coordinator once two thirds are
                awaitCopied(copier, 2 * RECORDS / 3);
                int coordinator = admin.describeTransactions(List.of("copier")).description("copier").get()
                        .coordinatorId();
                copier.limit.set(Long.MAX_VALUE);
                awaitCopied(copier, 2 * RECORDS / 3 + 50);
                kill.apply(coordinator);
                start.apply(coordinator);

                // and finishes
                await("the group's offsets reach the input's end").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                            assertThat(copier.failure()).isNull();
                            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("copier")
                                    .partitionsToOffsetAndMetadata().get();
                            for (int p = 0; p < PARTITIONS; p++) {
                                assertThat(offsets.get(new TopicPartition(IN, p)))
                                        .isEqualTo(new OffsetAndMetadata(input.get(p).size()));
                            }
                        });
                assertThat(copier.failure()).isNull();
            }

            // Then read_committed sees each input record once, in each partition's order
            List<List<String>> output = readCommitted(bootstrap);
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(output.get(p)).as("copy-out-%d", p).containsExactlyElementsOf(input.get(p));
            }
        }
    }

    private static NewTopic topic(String name) {
        return new NewTopic(name, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"));
    }

    private static List<List<String>> produceInput(String bootstrap) throws Exception {
        List<List<String>> input = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            input.add(new ArrayList<>());
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(IN, i % PARTITIONS, "k" + i, "r-" + i));
                input.get(i % PARTITIONS).add("r-" + i);
            }
            producer.flush();
        }
        return input;
    }

    private static void awaitCopied(TransactionalCopier copier, long records) {
        await("copier at " + records + " records").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    assertThat(copier.failure()).isNull();
                    return copier.copied() >= records;
                });
    }

    private static int leaderOf(Admin admin, TopicPartition tp) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(tp.topic())).allTopicNames().get().get(tp.topic());
        return d.partitions().get(tp.partition()).leader().id();
    }

    /** Waits until every partition of both topics and of {@code __transaction_state} has all three replicas in sync. */
    private static void awaitFullIsr(Admin admin) {
        await("full ISRs").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> admin.describeTopics(List.of(IN, OUT, "__transaction_state")).allTopicNames()
                        .get().values().forEach(d -> d.partitions().forEach(p -> assertThat(p.isr())
                                .as("%s-%d", d.name(), p.partition()).hasSize(3))));
    }

    private static List<List<String>> readCommitted(String bootstrap) {
        List<TopicPartition> partitions = new ArrayList<>();
        List<List<String>> read = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(OUT, p));
            read.add(new ArrayList<>());
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            await("copy-out read to its last stable offsets " + end).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(1)).until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            read.get(r.partition()).add(r.value());
                        }
                        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                    });
        }
        return read;
    }
}
