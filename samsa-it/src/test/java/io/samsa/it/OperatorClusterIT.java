package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' tools against three combined nodes, as Kafka's own command-line tools (Apache Kafka 4.3.1, run in a
 * child JVM) and {@code samsa} see them: DescribeQuorum answered by any broker with three caught-up voters;
 * {@code kafka-reassign-partitions} moving a partition off its leader while an idempotent acks=all producer runs
 * (nothing lost, nothing duplicated, order kept); a stopped preferred leader shown fenced by {@code samsa cluster
 * describe} and its partition under-replicated; {@code kafka-leader-election} moving leadership back after it
 * returned; {@code kafka-topics --replica-assignment} placing partitions as given. One cluster for the class (about
 * 45 s).
 */
class OperatorClusterIT {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(3, Map.of(
            "auto.leader.rebalance.enable", "false", "replica.lag.time.max.ms", "3000",
            "broker.session.timeout.ms", "6000", "broker.heartbeat.interval.ms", "500"));
    @TempDir
    static Path work;

    private static ChildJvm.Result tool(String mainClass, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", cluster.get().bootstrapServers()));
        all.addAll(List.of(args));
        return ChildJvm.run(work, mainClass, all, 120);
    }

    /** stdout of {@code samsa ARGS --bootstrap-server BOOTSTRAP}, run in-process. */
    private static String samsaCli(String bootstrap, String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", bootstrap));
        SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true)).execute(all.toArray(String[]::new));
        return out.toString();
    }

    @Test
    void describeQuorumFromAnyBrokerShowsThreeVotersCaughtUp() throws Exception {
        try (Admin admin = cluster.get().admin()) {
            int controller = admin.describeCluster().controller().get(30, TimeUnit.SECONDS).id();
            int other = controller == 1 ? 2 : 1;
            try (Admin onOther = Clients.admin(cluster.get().bootstrapServers(other))) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    QuorumInfo quorum = onOther.describeMetadataQuorum().quorumInfo().get();
                    assertThat(quorum.leaderId()).isEqualTo(controller);
                    assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId)
                            .containsExactlyInAnyOrder(1, 2, 3);
                    assertThat(quorum.voters()).allSatisfy(v -> {
                        assertThat(v.logEndOffset()).isGreaterThanOrEqualTo(quorum.highWatermark());
                        assertThat(v.lastCaughtUpTimestamp()).isPresent();
                    });
                    assertThat(quorum.nodes()).containsOnlyKeys(1, 2, 3);
                });
            }
        }
        ChildJvm.Result status = ChildJvm.run(work, "org.apache.kafka.tools.MetadataQuorumCommand",
                List.of("--bootstrap-server", cluster.get().bootstrapServers(), "describe", "--replication"), 120);
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("Leader").contains("Follower");
    }

    @Test
    void reassignmentMovesAPartitionToAnotherBrokerWhileProducingAndLosesNothing() throws Exception {
        // Given: "moving" on two brokers (RF=2), producers running with acks=all
        List<Integer> before;
        try (Admin admin = cluster.get().admin()) {
            admin.createTopics(List.of(new NewTopic("moving", 1, (short) 2))).all().get();
            before = admin.describeTopics(List.of("moving")).allTopicNames().get().get("moving").partitions()
                    .getFirst().replicas().stream().map(Node::id).toList();
        }
        int leader = cluster.get().awaitLeader("moving", 0);
        int newcomer = Set.of(1, 2, 3).stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
        int kept = before.stream().filter(id -> id != leader).findFirst().orElseThrow();
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread producing = Thread.ofPlatform().start(() -> {
            try (KafkaProducer<String, String> producer = cluster.get().producer(Map.of(ProducerConfig.ACKS_CONFIG,
                    "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
                for (int i = 0; !stop.get() && i < 30_000; i++) {
                    String value = "v" + i;
                    producer.send(new ProducerRecord<>("moving", 0, null, value), (md, e) -> {
                        if (e == null) {
                            acked.add(value);
                        }
                    });
                    if (i % 100 == 0) {
                        producer.flush();
                    }
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() > 500);

        // When: kafka-reassign-partitions moves it to [kept, newcomer] (dropping the leader)
        Path plan = work.resolve("move.json");
        Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":0,"
                + "\"replicas\":[" + kept + "," + newcomer + "]}]}");
        String reassign = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
        ChildJvm.Result executed = tool(reassign, "--reassignment-json-file", plan.toString(), "--execute");
        assertThat(executed.exitCode()).as(executed.output()).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ChildJvm.Result verified = tool(reassign, "--reassignment-json-file", plan.toString(), "--verify");
            assertThat(verified.output()).contains("Reassignment of partition moving-0 is completed.");
        });
        stop.set(true);
        producing.join();

        // Then: replicas are the target, nothing is in progress, the newcomer holds the data, every acked record is there
        try (Admin admin = cluster.get().admin()) {
            TopicPartitionInfo p = admin.describeTopics(List.of("moving")).allTopicNames().get().get("moving")
                    .partitions().getFirst();
            assertThat(p.replicas()).extracting(Node::id).containsExactly(kept, newcomer);
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
            assertThat(admin.describeLogDirs(List.of(newcomer)).allDescriptions().get().get(newcomer).values())
                    .anySatisfy(d -> assertThat(d.replicaInfos()).containsKey(new TopicPartition("moving", 0)));
        }
        List<String> read = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = cluster.get().consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition("moving", 0)));
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                    seen.add(r.value());
                }
                return seen.containsAll(acked);
            });
        }
        assertThat(read).hasSameSizeAs(seen); // no duplicates
        // and the acknowledged records in the order they were sent (callbacks of one partition come in order)
        assertThat(read.stream().filter(new HashSet<>(acked)::contains).toList()).containsExactlyElementsOf(acked);
    }

    @Test
    void preferredElectionBringsLeadershipBackAndUnderReplicationIsShown() throws Exception {
        // Given: an RF=3 topic whose preferred leader is stopped, then started again
        int preferred;
        try (Admin admin = cluster.get().admin()) {
            admin.createTopics(List.of(new NewTopic("pref", 1, (short) 3))).all().get();
            preferred = admin.describeTopics(List.of("pref")).allTopicNames().get().get("pref").partitions()
                    .getFirst().replicas().getFirst().id();
        }
        assertThat(cluster.get().awaitLeader("pref", 0)).isEqualTo(preferred);
        cluster.get().stop(preferred);
        assertThat(cluster.get().awaitLeader("pref", 0)).isNotEqualTo(preferred);
        int other = Set.of(1, 2, 3).stream().filter(id -> id != preferred).findFirst().orElseThrow();

        // Then (node 1 down): samsa topics describe flags the partition, cluster describe shows broker 1 fenced
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String out = samsaCli(cluster.get().bootstrapServers(other), "topics", "describe",
                    "--under-replicated-partitions");
            assertThat(out).contains("\tTopic: pref\tPartition: 0").contains("UnderReplicated: true");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                samsaCli(cluster.get().bootstrapServers(other), "cluster", "describe"))
                .containsPattern("(?m)^" + preferred + " .* true$"));

        // When the preferred replica is back in the ISR, kafka-leader-election moves leadership back to it
        cluster.get().start(preferred);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            try (Admin admin = cluster.get().admin()) {
                assertThat(admin.describeTopics(List.of("pref")).allTopicNames().get().get("pref").partitions()
                        .getFirst().isr()).extracting(Node::id).contains(preferred);
            }
        });
        ChildJvm.Result elected = tool("org.apache.kafka.tools.LeaderElectionCommand", "--election-type",
                "preferred", "--all-topic-partitions");
        assertThat(elected.exitCode()).as(elected.output()).isZero();
        assertThat(elected.output()).contains("Successfully completed leader election (PREFERRED) for partitions")
                .contains("pref-0");
        assertThat(cluster.get().awaitLeader("pref", 0)).isEqualTo(preferred);
    }

    @Test
    void kafkaTopicsReplicaAssignmentPlacesEachPartitionAsGivenAndBadOnesAreRefused() throws Exception {
        // When kafka-topics creates a topic with --replica-assignment (partition 0 on 3 then 1, partition 1 on 1 then 2)
        ChildJvm.Result created = tool("org.apache.kafka.tools.TopicCommand", "--create", "--topic", "placed",
                "--replica-assignment", "3:1,1:2");
        assertThat(created.exitCode()).as(created.output()).isZero();

        // Then each partition has those replicas in that order, the first leads, all are in sync
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Admin admin = cluster.get().admin()) {
                List<TopicPartitionInfo> partitions = admin.describeTopics(List.of("placed")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("placed").partitions();
                assertThat(partitions).extracting(p -> p.replicas().stream().map(Node::id).toList())
                        .containsExactly(List.of(3, 1), List.of(1, 2));
                assertThat(partitions).extracting(p -> p.isr().stream().map(Node::id).toList())
                        .containsExactly(List.of(3, 1), List.of(1, 2));
                assertThat(partitions).extracting(p -> p.leader().id()).containsExactly(3, 1);
            }
        });

        // And invalid assignments are refused with Kafka's errors and messages, creating nothing
        try (Admin admin = cluster.get().admin()) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("twice", Map.of(0, List.of(2, 2)))))
                    .all().get(30, TimeUnit.SECONDS)).cause().isInstanceOf(InvalidReplicaAssignmentException.class)
                    .hasMessage("The manual partition assignment includes the broker 2 more than once.");
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("unknown", Map.of(0, List.of(1, 9)))))
                    .all().get(30, TimeUnit.SECONDS)).cause().isInstanceOf(InvalidReplicaAssignmentException.class)
                    .hasMessage("The manual partition assignment includes broker 9, but no such broker is registered.");
            // (checked in request order: partition 0 first, as a TreeMap sends them)
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("uneven",
                    new TreeMap<>(Map.of(0, List.of(1, 2), 1, List.of(3)))))).all().get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(InvalidReplicaAssignmentException.class)
                    .hasMessage("The manual partition assignment includes a partition with 1 replica(s), but this is "
                            + "not consistent with previous partitions, which have 2 replica(s).");
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("twice", "unknown",
                    "uneven");
        }
    }
}
