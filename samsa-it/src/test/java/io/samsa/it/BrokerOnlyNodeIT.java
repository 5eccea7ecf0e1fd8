package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker-only node ({@code process.roles=broker}, outside {@code controller.quorum.voters}) next to three combined
 * voters: it registers and is unfenced, replicates and leads partitions like any broker, is listed by DescribeCluster
 * (and as an observer by DescribeQuorum), keeps its {@code meta.properties} in its log dir as Kafka's broker-only
 * nodes, and is fenced once its session expires after a crash.
 */
class BrokerOnlyNodeIT {
    private static final int BROKER_ONLY = 4;
    private static final int SESSION_TIMEOUT_MS = 3000;
    private static final Map<String, String> FAST = Map.of(
            "broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS),
            "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", "3000",
            "offsets.topic.replication.factor", "3",
            "auto.leader.rebalance.enable", "false");

    @TempDir
    Path dir;
    EmbeddedCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = EmbeddedCluster.start(dir, 4, FAST, Map.of(BROKER_ONLY, Map.of("process.roles", "broker")));
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Collection<Node> brokers(Admin admin) throws Exception {
        return admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()
                .get(30, TimeUnit.SECONDS);
    }

    private TopicPartitionInfo partition(String topic, int partition) throws Exception {
        try (Admin admin = cluster.admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().get(partition);
        }
    }

    /** Sends {@code count} values {@code prefix-i} with acks=all and idempotence, each acknowledged. */
    private List<String> produce(String topic, int partition, String prefix, int count) throws Exception {
        List<String> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                producer.send(new ProducerRecord<>(topic, partition, null, value)).get(30, TimeUnit.SECONDS);
                acked.add(value);
            }
        }
        return acked;
    }

    private List<String> consumeAll(String topic, int partition, int expected) {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = cluster.consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await("reading " + expected + " records of " + tp).atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
                return read.size() >= expected;
            });
        }
        return read;
    }

    @Test
    void aBrokerOnlyNodeRegistersReplicatesLeadsAndIsFencedWhenItDies() throws Exception {
        // Then it registered and was unfenced; DescribeCluster lists it, DescribeQuorum as an observer, not a voter
        try (Admin admin = cluster.admin()) {
            await("node 4 unfenced").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(brokers(admin)).filteredOn(n -> n.id() == BROKER_ONLY).singleElement()
                            .satisfies(n -> assertThat(n.isFenced()).isFalse()));
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id)
                    .containsExactlyInAnyOrder(1, 2, 3, BROKER_ONLY);
            await("node 4 an observer of the quorum").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
                assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId)
                        .containsExactlyInAnyOrder(1, 2, 3);
                assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).contains(BROKER_ONLY);
            });
        }
        // and its identity is in its log dir (Kafka's metadata.log.dir default), no metadata directory of its own
        assertThat(Files.readString(cluster.logDir(BROKER_ONLY).resolve("meta.properties"))).contains("node.id=4");
        assertThat(cluster.logDir(BROKER_ONLY).resolve("__samsa_metadata")).doesNotExist();

        // Given an RF=4 topic: every partition has a replica on node 4
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("wide", 4, (short) 4))).all().get(30, TimeUnit.SECONDS);
        }
        List<List<Integer>> replicasOf = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            cluster.awaitLeader("wide", p);
            replicasOf.add(partition("wide", p).replicas().stream().map(Node::id).toList());
            assertThat(replicasOf.get(p)).containsExactlyInAnyOrder(1, 2, 3, BROKER_ONLY);
        }
        // round-robin placement: node 4 is first in one partition and second (next in line) in another
        int secondInLine = replicasOf.indexOf(replicasOf.stream().filter(r -> r.get(1) == BROKER_ONLY).findFirst()
                .orElseThrow());
        int followed = replicasOf.indexOf(replicasOf.stream().filter(r -> r.getFirst() != BROKER_ONLY
                && r.get(1) != BROKER_ONLY).findFirst().orElseThrow());

        // When acks=all writes go to a partition led by a voter
        int partitionFollowed = followed;
        List<String> acked = produce("wide", partitionFollowed, "followed", 50);

        // Then node 4 follows: it is in the ISR and its segment files hold every acknowledged record
        assertThat(partition("wide", partitionFollowed).isr()).extracting(Node::id).contains(BROKER_ONLY);
        await("node 4's segments hold the acknowledged records").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(SegmentFiles.values(cluster.logDir(BROKER_ONLY), "wide",
                        partitionFollowed)).containsAll(acked));

        // When the leader of the partition where node 4 is next in line stops
        int partitionLed = secondInLine;
        int formerLeader = cluster.awaitLeader("wide", partitionLed);
        assertThat(formerLeader).isNotEqualTo(BROKER_ONLY);
        cluster.stop(formerLeader);

        // Then node 4 leads it, takes acks=all writes and serves them
        assertThat(cluster.awaitLeader("wide", partitionLed)).isEqualTo(BROKER_ONLY);
        List<String> ledByFour = produce("wide", partitionLed, "led", 20);
        assertThat(consumeAll("wide", partitionLed, 20)).containsExactlyElementsOf(ledByFour);
        assertThat(SegmentFiles.values(cluster.logDir(BROKER_ONLY), "wide", partitionLed))
                .containsExactlyElementsOf(ledByFour);
        cluster.start(formerLeader);

        // When node 4 crashes (no controlled shutdown)
        cluster.kill(BROKER_ONLY);
        long killedNanos = System.nanoTime();

        // Then the controller fences it once its session expires, and its leadership moves to a voter
        try (Admin admin = cluster.admin()) {
            await("node 4 fenced").atMost(Duration.ofMillis(SESSION_TIMEOUT_MS + 10_000))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                            assertThat(brokers(admin)).filteredOn(n -> n.id() == BROKER_ONLY).singleElement()
                                    .satisfies(n -> assertThat(n.isFenced()).isTrue()));
        }
        long fencedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
        assertThat(fencedAfterMs).as("fenced within the session timeout plus a heartbeat check")
                .isLessThan(SESSION_TIMEOUT_MS + 5_000L);
        assertThat(cluster.awaitLeader("wide", partitionLed)).isNotEqualTo(BROKER_ONLY);
        assertThat(consumeAll("wide", partitionLed, 20)).containsExactlyElementsOf(ledByFour);
    }
}
