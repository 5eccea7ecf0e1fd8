package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operators' APIs on one Samsa node, through the Java Admin client and Apache Kafka 4.3.1's own tools
 * ({@code kafka-metadata-quorum}, {@code kafka-leader-election}, {@code kafka-reassign-partitions},
 * {@code kafka-log-dirs}) run in a child JVM: DescribeQuorum, ElectLeaders, AlterPartitionReassignments,
 * ListPartitionReassignments, DescribeLogDirs.
 */
class OperatorToolsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();
    static Admin admin;

    @BeforeAll
    static void setUp() throws Exception {
        admin = samsa.get().admin();
        samsa.get().createTopic("ops", 2, Map.of());
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("ops", i % 2, "k" + i, "value-" + i)).get();
            }
        }
    }

    @AfterAll
    static void tearDown() {
        if (admin != null) {
            admin.close();
        }
    }

    private static ChildJvm.Result tool(String mainClass, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        all.addAll(List.of(args));
        return ChildJvm.run(samsa.dir(), mainClass, all, 90);
    }

    @Test
    void describeMetadataQuorumNamesThisNodeAsLeaderAndOnlyVoter() throws Exception {
        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();

        assertThat(quorum.leaderId()).isEqualTo(1);
        assertThat(quorum.leaderEpoch()).isPositive();
        assertThat(quorum.highWatermark()).isPositive();
        assertThat(quorum.voters()).singleElement().satisfies(voter -> {
            assertThat(voter.replicaId()).isEqualTo(1);
            assertThat(voter.logEndOffset()).isGreaterThanOrEqualTo(quorum.highWatermark());
            assertThat(voter.lastCaughtUpTimestamp()).isPresent();
        });
        assertThat(quorum.observers()).isEmpty();
        assertThat(quorum.nodes()).containsKey(1);
        assertThat(quorum.nodes().get(1).endpoints()).singleElement()
                .satisfies(e -> assertThat(e.name()).isEqualTo("CONTROLLER"));
    }

    @Test
    void kafkaMetadataQuorumDescribesStatusAndReplication() throws Exception {
        String clusterId = admin.describeCluster().clusterId().get();

        ChildJvm.Result status = tool("org.apache.kafka.tools.MetadataQuorumCommand", "describe", "--status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("ClusterId:              " + clusterId)
                .contains("LeaderId:               1").contains("MaxFollowerLag:         0")
                .containsPattern("CurrentVoters:\\s+\\[\\{\"id\": 1, .*\"endpoints\": \\[\"CONTROLLER://");

        ChildJvm.Result replication = tool("org.apache.kafka.tools.MetadataQuorumCommand", "describe",
                "--replication");
        assertThat(replication.exitCode()).as(replication.output()).isZero();
        assertThat(replication.output()).contains("NodeId").contains("LogEndOffset")
                .containsPattern("(?m)^1\\s+.*Leader");
    }

    @Test
    void preferredElectionOnOneNodeIsNotNeeded() throws Exception {
        TopicPartition tp = new TopicPartition("ops", 0);

        Map<TopicPartition, Optional<Throwable>> preferred = admin.electLeaders(ElectionType.PREFERRED, Set.of(tp))
                .partitions().get();
        Map<TopicPartition, Optional<Throwable>> unclean = admin.electLeaders(ElectionType.UNCLEAN, Set.of(tp))
                .partitions().get();
        Map<TopicPartition, Optional<Throwable>> unknown = admin.electLeaders(ElectionType.PREFERRED,
                Set.of(new TopicPartition("no-such-topic", 0))).partitions().get();

        assertThat(preferred.get(tp)).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(unclean.get(tp)).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(unknown.get(new TopicPartition("no-such-topic", 0)))
                .containsInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void kafkaLeaderElectionSaysTheLeaderIsAlreadyElected() throws Exception {
        ChildJvm.Result one = tool("org.apache.kafka.tools.LeaderElectionCommand", "--election-type", "preferred",
                "--topic", "ops", "--partition", "1");
        ChildJvm.Result all = tool("org.apache.kafka.tools.LeaderElectionCommand", "--election-type", "preferred",
                "--all-topic-partitions");

        assertThat(one.exitCode()).as(one.output()).isZero();
        assertThat(one.output()).contains("Valid replica already elected for partitions ops-1");
        // as Kafka's controller, elections for all partitions leave out the partitions that need none
        assertThat(all.exitCode()).as(all.output()).isZero();
        assertThat(all.output()).doesNotContain("Error completing leader election");
    }

    @Test
    void noReassignmentIsListedAndUnknownBrokersAreRefused() throws Exception {
        TopicPartition tp = new TopicPartition("ops", 0);

        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        var toUnknown = admin.alterPartitionReassignments(
                Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1, 99))))).values().get(tp);
        var cancel = admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).values().get(tp);
        var grow = admin.alterPartitionReassignments(
                Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1, 2)))),
                new AlterPartitionReassignmentsOptions().allowReplicationFactorChange(false)).values().get(tp);

        assertThatThrownBy(toUnknown::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("99");
        assertThatThrownBy(cancel::get).cause().isInstanceOf(NoReassignmentInProgressException.class);
        assertThatThrownBy(grow::get).cause().isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessageContaining("from 1 to 2");
        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
    }

    @Test
    void kafkaReassignPartitionsExecutesAndVerifiesAMoveToTheSameBroker() throws Exception {
        Path plan = samsa.dir().resolve("reassign.json");
        Files.writeString(plan,
                "{\"version\":1,\"partitions\":[{\"topic\":\"ops\",\"partition\":1,\"replicas\":[1]}]}");
        Path bad = samsa.dir().resolve("reassign-bad.json");
        Files.writeString(bad, "{\"version\":1,\"partitions\":[{\"topic\":\"ops\",\"partition\":1,\"replicas\":[7]}]}");
        String reassign = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";

        ChildJvm.Result executed = tool(reassign, "--reassignment-json-file", plan.toString(), "--execute");
        ChildJvm.Result verified = tool(reassign, "--reassignment-json-file", plan.toString(), "--verify");
        ChildJvm.Result refused = tool(reassign, "--reassignment-json-file", bad.toString(), "--execute");
        ChildJvm.Result throttled = tool(reassign, "--reassignment-json-file", plan.toString(), "--execute",
                "--throttle", "10000000");
        String rateWhileThrottled = brokerConfig("leader.replication.throttled.rate");
        ChildJvm.Result reverified = tool(reassign, "--reassignment-json-file", plan.toString(), "--verify");
        String rateAfterVerify = brokerConfig("leader.replication.throttled.rate");

        assertThat(executed.exitCode()).as(executed.output()).isZero();
        assertThat(executed.output()).contains("Current partition replica assignment")
                .contains("Successfully started partition reassignment for ops-1");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Reassignment of partition ops-1 is completed.");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("Unknown broker id 7");
        assertThat(throttled.exitCode()).as(throttled.output()).isZero();
        assertThat(throttled.output()).contains("Warning: You must run --verify periodically, until the reassignment "
                + "completes, to ensure the throttle is removed.");
        assertThat(reverified.exitCode()).as(reverified.output()).isZero();
        assertThat(reverified.output()).contains("Reassignment of partition ops-1 is completed.")
                .contains("Clearing broker-level throttles on broker 1");
        // stored while the move runs, removed by --verify (accepted, not enforced: ADR 0013)
        assertThat(rateWhileThrottled).isEqualTo("10000000");
        assertThat(rateAfterVerify).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    private static String brokerConfig(String key) throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        return admin.describeConfigs(List.of(broker)).all().get().get(broker).get(key).value();
    }

    @Test
    void describeLogDirsListsThePartitionsWithTheirSizes() throws Exception {
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);

        assertThat(dirs).hasSize(1);
        LogDirDescription dir = dirs.values().iterator().next();
        assertThat(Path.of(dirs.keySet().iterator().next())).isEqualTo(samsa.get().logDir().toAbsolutePath());
        assertThat(dir.error()).isNull();
        assertThat(dir.totalBytes()).isPresent();
        assertThat(dir.totalBytes().getAsLong()).isPositive();
        assertThat(dir.usableBytes().getAsLong()).isPositive().isLessThanOrEqualTo(dir.totalBytes().getAsLong());
        ReplicaInfo p0 = dir.replicaInfos().get(new TopicPartition("ops", 0));
        assertThat(p0).isNotNull();
        assertThat(p0.size()).isGreaterThan(50 * "value-00".length());
        assertThat(p0.offsetLag()).isZero();
        assertThat(p0.isFuture()).isFalse();
    }

    @Test
    void kafkaLogDirsDescribesTheRequestedTopic() throws Exception {
        ChildJvm.Result described = tool("org.apache.kafka.tools.LogDirsCommand", "--describe", "--topic-list",
                "ops");

        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.output()).contains("Received log directory information from brokers 1")
                .containsPattern("\"partition\":\"ops-0\",\"size\":[1-9][0-9]*,\"offsetLag\":0,\"isFuture\":false")
                .contains("\"partition\":\"ops-1\"")
                .contains("\"logDir\":\"" + samsa.get().logDir().toAbsolutePath() + "\"");
    }

    /** {@code samsa ARGS --bootstrap-server ...} in-process: exit code, stdout, stderr. */
    private static String[] samsaCli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void samsaClusterDescribeShowsBrokersControllerAndQuorum() throws Exception {
        String clusterId = admin.describeCluster().clusterId().get();
        String address = samsa.get().bootstrapServers();

        String[] run = samsaCli("cluster", "describe");

        assertThat(run[0]).as(run[2]).isEqualTo("0");
        assertThat(run[1].lines()).startsWith("ClusterId: " + clusterId, "Controller: 1", "Brokers: 1");
        assertThat(run[1]).containsPattern("(?m)^ID HOST:PORT +RACK FENCED$")
                .containsPattern("(?m)^1  " + Pattern.quote(address) + " +- +false$")
                .containsPattern("(?m)^Quorum: leader 1, epoch [1-9][0-9]*, high watermark [1-9][0-9]*, voters 1$")
                .containsPattern("(?m)^1    Leader [0-9 ]+ 0 ");
    }

    @Test
    void samsaTopicsDescribeFiltersUnderReplicatedPartitions() {
        String[] all = samsaCli("topics", "describe", "--topic", "ops");
        String[] underReplicated = samsaCli("topics", "describe", "--under-replicated-partitions");
        String[] unavailable = samsaCli("topics", "describe", "--topic", "ops", "--unavailable-partitions");

        assertThat(all[0]).as(all[2]).isEqualTo("0");
        assertThat(all[1]).contains("\tTopic: ops\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n")
                .doesNotContain("UnderReplicated");
        // one node, replication factor 1: every partition is fully in sync and led
        assertThat(underReplicated[0]).as(underReplicated[2]).isEqualTo("0");
        assertThat(underReplicated[1]).isEmpty();
        assertThat(unavailable[0]).as(unavailable[2]).isEqualTo("0");
        assertThat(unavailable[1]).isEmpty();
    }
}
