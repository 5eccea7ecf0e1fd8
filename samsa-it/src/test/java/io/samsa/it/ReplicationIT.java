package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicated partitions on three nodes in one JVM, driven by kafka-clients: acks=all writes reach every in-sync
 * replica's disk, survive the loss of their leader, and are refused when too few replicas are in sync; the ISR shrinks
 * when a follower stops and grows again when it is back.
 */
class ReplicationIT {
    /** Short liveness settings so failover and ISR changes happen within seconds. */
    static final Map<String, String> FAST = Map.of(
            "broker.session.timeout.ms", "3000",
            "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", "3000",
            "offsets.topic.replication.factor", "3",
            "offsets.topic.num.partitions", "3",
            "default.replication.factor", "3");

    @TempDir
    Path dir;
    EmbeddedCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = EmbeddedCluster.start(dir, 3, FAST);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 3).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        for (int p = 0; p < partitions; p++) {
            cluster.awaitLeader(name, p);
        }
    }

    List<Integer> isr(String topic, int partition) throws Exception {
        try (Admin admin = cluster.admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().get(partition).isr().stream().map(Node::id).sorted().toList();
        }
    }

    static KafkaProducer<String, String> producer(EmbeddedCluster cluster) {
        return cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    static List<String> send(KafkaProducer<String, String> producer, String topic, String prefix, int count)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            values.add(value);
            sent.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(120, TimeUnit.SECONDS);
        }
        return values;
    }

    static List<String> readAll(EmbeddedCluster cluster, String topic, int expected) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                return out.size() >= expected;
            });
            // nothing beyond what was acknowledged
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                out.add(r.value());
            }
        }
        return out;
    }

    @Test
    void acknowledgedWritesAreOnEveryReplicasDiskAndSurviveTheLossOfTheLeader() throws Exception {
        createTopic("orders", 1, Map.of("min.insync.replicas", "2"));
        List<String> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            acked.addAll(send(producer, "orders", "before", 500));

            // every replica holds every acknowledged record on disk (followers copy as they fetch)
            for (int id : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(SegmentFiles.values(cluster.logDir(id), "orders", 0)).containsAll(acked));
            }

            int leader = cluster.awaitLeader("orders", 0);
            cluster.kill(leader);
            int newLeader = cluster.awaitLeader("orders", 0);
            assertThat(newLeader).isNotEqualTo(leader);

            acked.addAll(send(producer, "orders", "after", 500));
            cluster.start(leader);
        }
        // read back from the cluster: every acknowledged record once, in the order sent
        assertThat(readAll(cluster, "orders", acked.size())).containsExactlyElementsOf(acked);
        // the old leader caught up as a follower
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(isr("orders", 0)).containsExactly(1, 2, 3));
    }

    @Test
    void followersHoldTheLeadersLogByteForByteAfterFetchResponsesOfEverySize() throws Exception {
        // records from 10 bytes to 400 KB, so that fetch responses grow and shrink: a follower reads every response
        // into one reused buffer (ReusableReceiveBuffer), and no response may leave bytes of another in a log
        createTopic("sizes", 2, Map.of("min.insync.replicas", "2", "segment.bytes", "1048576"));
        int[] sizes = {10, 1_000, 20_000, 150_000, 400_000};
        Random random = new Random(42);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.byteProducer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, random.nextInt(5)))) {
            for (int i = 0; i < 150; i++) {
                byte[] value = new byte[sizes[random.nextInt(sizes.length)]];
                random.nextBytes(value);
                sent.add(producer.send(new ProducerRecord<>("sizes", i % 2, null, value)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        for (int p = 0; p < 2; p++) {
            int partition = p;
            int leader = cluster.awaitLeader("sizes", partition);
            byte[] leaderLog = SegmentFiles.logBytes(cluster.logDir(leader), "sizes", partition);
            assertThat(SegmentFiles.values(cluster.logDir(leader), "sizes", partition)).hasSize(75);
            for (int id : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(SegmentFiles.logBytes(cluster.logDir(id), "sizes", partition))
                                .as("node %d's log of sizes-%d", id, partition).isEqualTo(leaderLog));
            }
        }
    }

    @Test
    void aStoppedFollowerLeavesTheIsrAndRejoinsWhenBack() throws Exception {
        createTopic("events", 1, Map.of("min.insync.replicas", "2"));
        int leader = cluster.awaitLeader("events", 0);
        int follower = cluster.nodeIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, "events", "a", 10);
            cluster.stop(follower);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(isr("events", 0)).doesNotContain(follower).hasSize(2));

            // two in-sync replicas still satisfy min.insync.replicas=2
            send(producer, "events", "b", 10);

            cluster.start(follower);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(isr("events", 0)).containsExactly(1, 2, 3));
        }
        assertThat(SegmentFiles.values(cluster.logDir(follower), "events", 0)).hasSize(20);
    }

    @Test
    void acksAllIsRefusedWhenFewerReplicasThanMinInsyncAreInSync() throws Exception {
        createTopic("strict", 1, Map.of("min.insync.replicas", "3"));
        int leader = cluster.awaitLeader("strict", 0);
        int follower = cluster.nodeIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
        cluster.stop(follower);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(isr("strict", 0)).hasSize(2));

        try (KafkaProducer<String, String> producer = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.RETRIES_CONFIG, 0, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.LINGER_MS_CONFIG, 0))) {
            Future<RecordMetadata> refused = producer.send(new ProducerRecord<>("strict", 0, null, "x"));
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(NotEnoughReplicasException.class);
        }
        try (KafkaProducer<String, String> producer = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            producer.send(new ProducerRecord<>("strict", 0, null, "y")).get(30, TimeUnit.SECONDS);
        }
        // the refused record was never appended: only the acks=1 one is there
        assertThat(SegmentFiles.values(cluster.logDir(leader), "strict", 0)).containsExactly("y");
    }

    @Test
    void aConsumerGroupKeepsItsCommittedOffsetsWhenItsCoordinatorDies() throws Exception {
        createTopic("work", 1, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, "work", "w", 100);
        }
        TopicPartition tp = new TopicPartition("work", 0);
        Map<String, Object> group = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        try (KafkaConsumer<String, String> consumer = cluster.consumer(group)) {
            consumer.subscribe(List.of("work"));
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.size() >= 50;
            });
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(50)));
        }
        int coordinator;
        try (Admin admin = cluster.admin()) {
            coordinator = admin.describeConsumerGroups(List.of("g")).all().get(30, TimeUnit.SECONDS).get("g")
                    .coordinator().id();
        }
        cluster.kill(coordinator);

        // the coordinator moved with the leadership of its __consumer_offsets partition, loading the commits
        try (Admin admin = cluster.admin()) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                var offsets = admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                assertThat(offsets.get(tp).offset()).isEqualTo(50);
                assertThat(admin.describeConsumerGroups(List.of("g")).all().get(10, TimeUnit.SECONDS).get("g")
                        .coordinator().id()).isNotEqualTo(coordinator);
            });
        }
        try (KafkaConsumer<String, String> consumer = cluster.consumer(group)) {
            consumer.subscribe(List.of("work"));
            List<String> rest = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> rest.add(r.value()));
                return rest.size() >= 50;
            });
            assertThat(rest.getFirst()).isEqualTo("w-50");
        }
    }

    @Test
    void recordsDeletedOnTheLeaderStayDeletedAfterAFailover() throws Exception {
        createTopic("trimmed", 1, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, "trimmed", "t", 100);
        }
        TopicPartition tp = new TopicPartition("trimmed", 0);
        try (Admin admin = cluster.admin()) {
            admin.deleteRecords(Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(60)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        int leader = cluster.awaitLeader("trimmed", 0);
        // the followers learn the new log start offset with their next fetch; then the leader goes
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, "trimmed", "u", 1);
        }
        cluster.kill(leader);
        assertThat(cluster.awaitLeader("trimmed", 0)).isNotEqualTo(leader);
        try (KafkaConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    assertThat(consumer.beginningOffsets(List.of(tp)).get(tp)).isEqualTo(60L));
        }
    }
}
