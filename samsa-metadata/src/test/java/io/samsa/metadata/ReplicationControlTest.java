package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.samsa.metadata.Images.TOPIC_ID;
import static io.samsa.metadata.Images.applied;
import static io.samsa.metadata.Images.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AlterPartition, ElectLeaders and reassignment rules, as pure functions of the image. */
class ReplicationControlTest {
    private static final PartitionRef P0 = new PartitionRef("t", 0);

    private static ClusterImage threeBrokers(PartitionImage... partitions) {
        return Images.builder().brokers(1, 2, 3, 4).topic(partitions).build();
    }

    private static long epoch(ClusterImage image, int nodeId) {
        return image.brokers().get(nodeId).brokerEpoch();
    }

    private static Error alterError(ClusterImage image, int leader, long brokerEpoch, UUID topicId, int leaderEpoch,
                                    int partitionEpoch, List<Integer> isr) {
        try {
            ReplicationControl.alterPartition(image, leader, brokerEpoch, topicId, 0, leaderEpoch, partitionEpoch,
                    IsrMember.withoutEpochs(isr));
            return null;
        } catch (ControllerException e) {
            return e.error();
        }
    }

    @Test
    void alterPartitionShrinksTheIsrAndBumpsOnlyThePartitionEpoch() {
        ClusterImage image = threeBrokers(new PartitionImage(0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 4, 7));

        ReplicationControl.Change change = ReplicationControl.alterPartition(image, 1, epoch(image, 1), TOPIC_ID, 0,
                4, 7, IsrMember.withoutEpochs(List.of(1, 3)));

        assertThat(change.partition()).isEqualTo(new PartitionImage(0, List.of(1, 2, 3), List.of(1, 3), 1, 4, 8));
        assertThat(partition(applied(image, change.records()), 0)).isEqualTo(change.partition());
    }

    @Test
    void alterPartitionIsFencedByEpochs() {
        ClusterImage image = Images.builder().brokers(1, 2, 3).fenced(3)
                .topic(new PartitionImage(0, List.of(1, 2, 3), List.of(1, 2), 1, 4, 7)).build();
        long e1 = epoch(image, 1);

        assertThat(alterError(image, 1, e1 + 1, TOPIC_ID, 4, 7, List.of(1))).isEqualTo(Error.STALE_BROKER_EPOCH);
        assertThat(alterError(image, 1, e1, new UUID(7, 7), 4, 7, List.of(1))).isEqualTo(Error.UNKNOWN_TOPIC_ID);
        assertThat(alterError(image, 1, e1, TOPIC_ID, 3, 7, List.of(1))).isEqualTo(Error.FENCED_LEADER_EPOCH);
        assertThat(alterError(image, 2, epoch(image, 2), TOPIC_ID, 4, 7, List.of(2)))
                .isEqualTo(Error.FENCED_LEADER_EPOCH);
        assertThat(alterError(image, 1, e1, TOPIC_ID, 4, 6, List.of(1))).isEqualTo(Error.INVALID_UPDATE_VERSION);
        assertThat(alterError(image, 1, e1, TOPIC_ID, 4, 7, List.of(1, 3))).isEqualTo(Error.INELIGIBLE_REPLICA);
        assertThat(alterError(image, 1, e1, TOPIC_ID, 4, 7, List.of(1, 4))).isEqualTo(Error.INELIGIBLE_REPLICA);
        assertThat(alterError(image, 1, -1, TOPIC_ID, 4, 7, List.of(1))).isNull();
    }

    /**
     * KIP-903: broker 2's fetches were made under an earlier registration (it restarted, and may have lost what
     * they said it had); an ISR naming that epoch is refused, one naming its current epoch or none is committed.
     */
    @Test
    void aMemberNamedWithAnEarlierBrokerEpochIsIneligible() {
        ClusterImage image = threeBrokers(new PartitionImage(0, List.of(1, 2, 3), List.of(1), 1, 4, 7));
        long e1 = epoch(image, 1);
        long e2 = epoch(image, 2);
        var leader = new IsrMember(1, e1);

        assertThatThrownBy(() -> ReplicationControl.alterPartition(image, 1, e1, TOPIC_ID, 0, 4, 7,
                List.of(leader, new IsrMember(2, e2 - 1))))
                .isInstanceOfSatisfying(ControllerException.class, e -> {
                    assertThat(e.error()).isEqualTo(Error.INELIGIBLE_REPLICA);
                    assertThat(e.getMessage()).contains("broker epoch " + (e2 - 1)).contains("registered at " + e2);
                });
        assertThat(ReplicationControl.alterPartition(image, 1, e1, TOPIC_ID, 0, 4, 7,
                List.of(leader, new IsrMember(2, e2))).partition().isr()).containsExactly(1, 2);
        assertThat(ReplicationControl.alterPartition(image, 1, e1, TOPIC_ID, 0, 4, 7,
                List.of(leader, new IsrMember(2, IsrMember.UNKNOWN_EPOCH))).partition().isr()).containsExactly(1, 2);
    }

    @Test
    void preferredElectionMovesLeadershipBackToTheFirstReplica() {
        ClusterImage image = threeBrokers(
                new PartitionImage(0, List.of(1, 2), List.of(1, 2), 2, 3, 3),
                new PartitionImage(1, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionImage(2, List.of(3, 2), List.of(2), 2, 0, 0));

        var elections = ReplicationControl.electLeaders(image, false, List.of(P0, new PartitionRef("t", 1),
                new PartitionRef("t", 2), new PartitionRef("t", 9), new PartitionRef("nope", 0)));

        assertThat(elections.results().get(P0)).isEmpty();
        assertThat(elections.results().get(new PartitionRef("t", 1))).get()
                .extracting(ControllerException::error).isEqualTo(Error.ELECTION_NOT_NEEDED);
        assertThat(elections.results().get(new PartitionRef("t", 2))).get()
                .extracting(ControllerException::error).isEqualTo(Error.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(elections.results().get(new PartitionRef("t", 9))).get()
                .extracting(ControllerException::error).isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(elections.results().get(new PartitionRef("nope", 0))).get()
                .extracting(ControllerException::error).isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(partition(applied(image, elections.records()), 0))
                .isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 4, 4));
    }

    @Test
    void uncleanElectionOnlyElectsLeaderlessPartitions() {
        ClusterImage image = Images.builder().brokers(1, 2, 3).fenced(1).topic(
                new PartitionImage(0, List.of(1, 2), List.of(1), -1, 3, 3),
                new PartitionImage(1, List.of(2, 3), List.of(2, 3), 2, 0, 0),
                new PartitionImage(2, List.of(1), List.of(1), -1, 0, 0)).build();

        var elections = ReplicationControl.electLeaders(image, true, List.of(P0, new PartitionRef("t", 1),
                new PartitionRef("t", 2)));

        assertThat(elections.results().get(P0)).isEmpty();
        assertThat(elections.results().get(new PartitionRef("t", 1))).get()
                .extracting(ControllerException::error).isEqualTo(Error.ELECTION_NOT_NEEDED);
        assertThat(elections.results().get(new PartitionRef("t", 2))).get()
                .extracting(ControllerException::error).isEqualTo(Error.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        assertThat(partition(applied(image, elections.records()), 0))
                .isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(2), 2, 4, 4));
    }

    @Test
    void reassignmentAddsReplicasAndCompletesWhenTheyJoinTheIsr() {
        ClusterImage image = threeBrokers(new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 0, 0));

        // When moving from [1, 2] to [3, 2]
        var started = ReplicationControl.alterReassignments(image, Map.of(P0, Optional.of(List.of(3, 2))));
        ClusterImage reassigning = applied(image, started.records());

        // Then 3 is added, 1 is being removed, and the leader stays until completion
        assertThat(started.results().get(P0)).isEmpty();
        assertThat(partition(reassigning, 0)).isEqualTo(new PartitionImage(0, List.of(3, 2, 1), List.of(1, 2), 1, 0,
                1, List.of(3), List.of(1)));
        assertThat(ReplicationControl.reassigning(reassigning)).containsOnlyKeys(P0);

        // When the leader adds 3 to the ISR
        var change = ReplicationControl.alterPartition(reassigning, 1, epoch(reassigning, 1), TOPIC_ID, 0, 0, 1,
                IsrMember.withoutEpochs(List.of(1, 2, 3)));
        ClusterImage done = applied(reassigning, change.records());

        // Then the reassignment completes: replicas = target, 1 leaves, a new leader from the ISR in target order
        assertThat(partition(done, 0)).isEqualTo(new PartitionImage(0, List.of(3, 2), List.of(2, 3), 3, 1, 2));
        assertThat(ReplicationControl.reassigning(done)).isEmpty();
    }

    @Test
    void cancellingRestoresTheOriginalReplicas() {
        ClusterImage image = threeBrokers(new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 0, 0));
        ClusterImage reassigning = applied(image, ReplicationControl.alterReassignments(image,
                Map.of(P0, Optional.of(List.of(3, 4)))).records());

        var cancel = ReplicationControl.alterReassignments(reassigning, Map.of(P0, Optional.empty()));
        ClusterImage cancelled = applied(reassigning, cancel.records());

        assertThat(partition(cancelled, 0).replicas()).containsExactly(1, 2);
        assertThat(partition(cancelled, 0).isReassigning()).isFalse();
        var again = ReplicationControl.alterReassignments(cancelled, Map.of(P0, Optional.empty()));
        assertThat(again.results().get(P0)).get().extracting(ControllerException::error)
                .isEqualTo(Error.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void reassignmentToUnknownBrokersIsRefused() {
        ClusterImage image = threeBrokers(new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 0, 0));
        var targets = new LinkedHashMap<PartitionRef, Optional<List<Integer>>>();
        targets.put(P0, Optional.of(List.of(1, 9)));

        var result = ReplicationControl.alterReassignments(image, targets);

        assertThat(result.results().get(P0)).get().extracting(ControllerException::error)
                .isEqualTo(Error.INVALID_REPLICA_ASSIGNMENT);
        assertThat(result.records()).isEmpty();
    }

    @Test
    void aReassignmentThatOnlyRemovesCompletesAtOnce() {
        ClusterImage image = threeBrokers(new PartitionImage(0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0));

        var result = ReplicationControl.alterReassignments(image, Map.of(P0, Optional.of(List.of(2, 3))));

        assertThat(partition(applied(image, result.records()), 0))
                .isEqualTo(new PartitionImage(0, List.of(2, 3), List.of(2, 3), 2, 1, 1));
        assertThat(ReplicationControl.alterReassignments(image, Map.of(P0, Optional.of(List.of()))).results().get(P0))
                .get().extracting(ControllerException::error).isEqualTo(Error.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void theRebalanceElectsEligiblePreferredReplicasOnly() {
        ClusterImage image = Images.builder().brokers(1, 2, 3).fenced(3).topic(
                new PartitionImage(0, List.of(1, 2), List.of(1, 2), 2, 3, 3),
                new PartitionImage(1, List.of(1, 2), List.of(2), 2, 0, 0),
                new PartitionImage(2, List.of(3, 2), List.of(2, 3), 2, 0, 0),
                new PartitionImage(3, List.of(2, 1), List.of(2, 1), 2, 0, 0),
                new PartitionImage(4, List.of(1, 2), List.of(1, 2), 2, 0, 0)).build();

        ClusterImage after = applied(image, ReplicationControl.preferredRebalance(image, 1000));

        assertThat(partition(after, 0)).isEqualTo(new PartitionImage(0, List.of(1, 2), List.of(1, 2), 1, 4, 4));
        assertThat(partition(after, 1).leader()).isEqualTo(2);
        assertThat(partition(after, 2).leader()).isEqualTo(2);
        assertThat(partition(after, 3)).isEqualTo(partition(image, 3));
        assertThat(partition(after, 4).leader()).isEqualTo(1);
        assertThat(ReplicationControl.preferredRebalance(image, 1)).hasSize(1);
    }
}
