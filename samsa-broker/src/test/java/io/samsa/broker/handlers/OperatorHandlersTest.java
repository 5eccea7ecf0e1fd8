package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ControllerException;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.PartitionRef;
import io.samsa.metadata.QuorumInfo;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of the operator handlers: result shaping, KIP-860 checks, quorum and log dir answers. */
class OperatorHandlersTest {
    private static final ControllerException NOT_NEEDED = new ControllerException(
            ControllerException.Error.ELECTION_NOT_NEEDED, "Leader election not needed for topic partition.");

    @Test
    void electingAllPartitionsLeavesOutThoseThatNeedNoElection() {
        // Given: t-0 elected, t-1 needs none, t-2 has no live preferred leader
        Map<String, List<Integer>> requested = Map.of("t", List.of(0, 1, 2));
        Map<PartitionRef, Optional<ControllerException>> results = Map.of(
                new PartitionRef("t", 0), Optional.empty(),
                new PartitionRef("t", 1), Optional.of(NOT_NEEDED),
                new PartitionRef("t", 2), Optional.of(new ControllerException(
                        ControllerException.Error.PREFERRED_LEADER_NOT_AVAILABLE, "Failed to elect leader")));

        // When
        ElectLeadersResponseData all = ElectLeadersHandler.response(requested, results, null, true);
        ElectLeadersResponseData named = ElectLeadersHandler.response(requested, results, null, false);

        // Then
        assertThat(all.replicaElectionResults()).singleElement().satisfies(t -> assertThat(t.partitionResult())
                .extracting(PartitionResult::partitionId, PartitionResult::errorCode)
                .containsExactly(tuple(0, Errors.NONE.code()),
                        tuple(2, Errors.PREFERRED_LEADER_NOT_AVAILABLE.code())));
        assertThat(named.replicaElectionResults().getFirst().partitionResult())
                .extracting(PartitionResult::errorCode, PartitionResult::errorMessage)
                .containsExactly(tuple(Errors.NONE.code(), null),
                        tuple(Errors.ELECTION_NOT_NEEDED.code(),
                                "Leader election not needed for topic partition."),
                        tuple(Errors.PREFERRED_LEADER_NOT_AVAILABLE.code(),
                                "Failed to elect leader"));
    }

    @Test
    void aControllerFailureIsEveryPartitionsError() {
        Map<String, List<Integer>> requested = new LinkedHashMap<>();
        requested.put("a", List.of(0));
        requested.put("b", List.of(3));

        ElectLeadersResponseData response = ElectLeadersHandler.response(requested, null, new CompletionException(
                new ControllerException(ControllerException.Error.REQUEST_TIMED_OUT, "timed out")), false);

        assertThat(response.replicaElectionResults())
                .flatExtracting(ElectLeadersResponseData.ReplicaElectionResult::partitionResult)
                .extracting(PartitionResult::errorCode).containsExactly(Errors.REQUEST_TIMED_OUT.code(),
                        Errors.REQUEST_TIMED_OUT.code());
    }

    @Test
    void replicationFactorChangesAreRefusedOnlyWhenTheyChangeTheCount() {
        // Given: t-0 on [1,2]; t-1 moving from [1,2] to [2,3] (adding 3, removing 1)
        ClusterImage image = image(new TopicImage("t", UUID.randomUUID(), List.of(
                new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionImage(1, List.of(2, 3, 1), List.of(1, 2), 1, 0, 1, List.of(3), List.of(1)))));

        // Then
        assertThat(AlterPartitionReassignmentsHandler.replicationFactorChange(image, new PartitionRef("t", 0),
                Optional.of(List.of(2, 3)))).isEmpty();
        assertThat(AlterPartitionReassignmentsHandler.replicationFactorChange(image, new PartitionRef("t", 0),
                Optional.of(List.of(1, 2, 3)))).hasValueSatisfying(e -> {
                    assertThat(e.error()).isEqualTo(ControllerException.Error.INVALID_REPLICATION_FACTOR);
                    assertThat(e.getMessage()).contains("from 2 to 3");
                });
        assertThat(AlterPartitionReassignmentsHandler.replicationFactorChange(image, new PartitionRef("t", 1),
                Optional.of(List.of(3, 4)))).isEmpty();
        assertThat(AlterPartitionReassignmentsHandler.replicationFactorChange(image, new PartitionRef("t", 1),
                Optional.empty())).isEmpty();
        assertThat(AlterPartitionReassignmentsHandler.replicationFactorChange(image, new PartitionRef("t", 9),
                Optional.of(List.of(1)))).as("unknown partitions are the controller's to refuse").isEmpty();
    }

    @Test
    void theQuorumIsClusterMetadataPartitionZero() {
        QuorumInfo quorum = new QuorumInfo(2, 7, 120, List.of(
                new QuorumInfo.ReplicaInfo(1, 118, 1000, 900), new QuorumInfo.ReplicaInfo(2, 121, 1005, 1005)),
                List.of());

        PartitionData partition = DescribeQuorumHandler.partition(quorum);

        assertThat(partition.partitionIndex()).isZero();
        assertThat(partition.leaderId()).isEqualTo(2);
        assertThat(partition.leaderEpoch()).isEqualTo(7);
        assertThat(partition.highWatermark()).isEqualTo(120);
        assertThat(partition.currentVoters()).extracting(r -> r.replicaId(), r -> r.logEndOffset(),
                r -> r.lastFetchTimestamp(), r -> r.lastCaughtUpTimestamp(), r -> r.replicaDirectoryId())
                .containsExactly(tuple(1, 118L, 1000L, 900L, Uuid.ZERO_UUID),
                        tuple(2, 121L, 1005L, 1005L, Uuid.ZERO_UUID));
        assertThat(partition.observers()).isEmpty();
    }

    @Test
    void aLogDirListsItsPartitionsWithTheirSizeAndNoLag(@TempDir Path root) throws Exception {
        // Given: one partition with 3 records in dir a, none in dir b
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        try (LogManager logs = LogManager.open(List.of(a, b), LogConfig.defaults(), Time.SYSTEM)) {
            PartitionLog log = logs.getOrCreate(new TopicPartition("t", 0), Uuid.randomUuid(), LogConfig.defaults());
            log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("one".getBytes(StandardCharsets.UTF_8)),
                    new SimpleRecord("two".getBytes(StandardCharsets.UTF_8)),
                    new SimpleRecord("three".getBytes(StandardCharsets.UTF_8))), 0);
            Path holding = log.dir().getParent().toAbsolutePath().normalize();
            Path other = holding.equals(a.toAbsolutePath().normalize()) ? b : a;

            // When
            DescribeLogDirsResult withPartition = DescribeLogDirsHandler.describe(holding, List.of(log));
            DescribeLogDirsResult empty = DescribeLogDirsHandler.describe(other.toAbsolutePath().normalize(),
                    List.of(log));
            DescribeLogDirsResult missing = DescribeLogDirsHandler.describe(root.resolve("gone"), List.of(log));

            // Then
            assertThat(withPartition.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(withPartition.totalBytes()).isPositive();
            assertThat(withPartition.usableBytes()).isPositive().isLessThanOrEqualTo(withPartition.totalBytes());
            assertThat(withPartition.topics()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("t");
                assertThat(t.partitions()).singleElement().satisfies(p -> {
                    assertThat(p.partitionIndex()).isZero();
                    assertThat(p.partitionSize()).isEqualTo(log.segments().getFirst().size()).isPositive();
                    assertThat(p.offsetLag()).isZero();
                    assertThat(p.isFutureKey()).isFalse();
                });
            });
            assertThat(empty.topics()).isEmpty();
            assertThat(missing.errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
            assertThat(missing.totalBytes()).isEqualTo(DescribeLogDirsHandler.UNKNOWN_VOLUME_BYTES);
        }
    }

    @Test
    void forwardedQuorumRequestsAreRecognisedAndTheLeadersInterBrokerEndpointIsPicked() {
        List<BrokerRegistration.Endpoint> leader = List.of(new BrokerRegistration.Endpoint("PLAINTEXT", "h2", 9092),
                new BrokerRegistration.Endpoint("REPLICATION", "h2", 9093));

        assertThat(QuorumForwarder.isForwarded(QuorumForwarder.CLIENT_ID_PREFIX + 1)).isTrue();
        assertThat(QuorumForwarder.isForwarded("adminclient-1")).isFalse();
        assertThat(QuorumForwarder.isForwarded(null)).isFalse();
        assertThat(QuorumForwarder.endpoint(leader, "replication")).hasValueSatisfying(e ->
                assertThat(e.port()).isEqualTo(9093));
        assertThat(QuorumForwarder.endpoint(leader, "SSL")).isEmpty();
        assertThat(QuorumForwarder.endpoint(List.of(), "PLAINTEXT")).as("a controller-only leader").isEmpty();
    }

    private static ClusterImage image(TopicImage topic) {
        return new ClusterImage("c", 1, 1, Map.of(), Map.of(topic.name(), topic), Map.of(topic.topicId(), topic),
                Map.of(), 0, 1);
    }
}
