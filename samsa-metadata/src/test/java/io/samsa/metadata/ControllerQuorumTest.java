package io.samsa.metadata;

import io.samsa.metadata.BrokerRegistration.Endpoint;
import io.samsa.metadata.ControllerException.Error;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The controller's broker lifecycle and partition requests on a real single-voter quorum, short sessions. */
class ControllerQuorumTest {
    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("PLAINTEXT", "localhost", 9092));
    private static final long SESSION_MS = 1500;

    @TempDir
    Path dir;
    private MetadataQuorum quorum;
    private final ScheduledExecutorService heartbeater = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("test-heartbeats").factory());
    private final List<Runnable> beating = new ArrayList<>();

    @AfterEach
    void close() {
        heartbeater.shutdownNow();
        if (quorum != null) {
            quorum.close();
        }
    }

    private MetadataQuorum start() throws IOException {
        quorum = MetadataQuorum.start(new QuorumConfig(1, dir, Map.of(1, "localhost:0"), SESSION_MS, 300),
                Tuning.DEFAULT);
        return quorum;
    }

    /** A live broker: registered, unfenced, heartbeating every 300 ms from now on. */
    private long liveBroker(int nodeId, String rack) {
        long epoch = TestBrokers.live(quorum, nodeId, ENDPOINTS, rack);
        heartbeater.scheduleWithFixedDelay(() -> quorum.heartbeat(nodeId, epoch, quorum.appliedIndex(), false),
                300, 300, TimeUnit.MILLISECONDS);
        return epoch;
    }

    private static ControllerException failure(CompletableFuture<?> future) {
        var thrown = assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).actual();
        assertThat(thrown.getCause()).isInstanceOf(ControllerException.class);
        return (ControllerException) thrown.getCause();
    }

    private PartitionImage partition(String topic, int p) {
        return quorum.image().topic(topic).orElseThrow().partitions().get(p);
    }

    @Test
    void aBrokerRegistersFencedAndItsFirstHeartbeatUnfencesIt() throws Exception {
        start();

        // When registered
        long epoch = quorum.registerBroker(1, UUID.randomUUID(), ENDPOINTS, null).join();

        // Then fenced, so no topic can be placed yet
        assertThat(quorum.image().brokers().get(1).fenced()).isTrue();
        assertThat(epoch).isLessThanOrEqualTo(quorum.appliedIndex());
        assertThat(failure(quorum.createTopic("t", 1, (short) 1, Map.of(), false)).getMessage())
                .isEqualTo("Replication factor: 1 larger than available brokers: 0.");

        // When a heartbeat says the broker applied its registration, then it is unfenced at once
        HeartbeatResult result = quorum.heartbeat(1, epoch, quorum.appliedIndex(), false).join();
        assertThat(result).isEqualTo(new HeartbeatResult(false, false));
        assertThat(quorum.image().brokers().get(1).fenced()).isFalse();
        quorum.createTopic("t", 1, (short) 1, Map.of(), false).join();

        // and a stale epoch or an unknown broker is refused
        assertThat(failure(quorum.heartbeat(1, epoch - 1, quorum.appliedIndex(), false)).error())
                .isEqualTo(Error.STALE_BROKER_EPOCH);
        assertThat(failure(quorum.heartbeat(7, 1, quorum.appliedIndex(), false)).error())
                .isEqualTo(Error.BROKER_ID_NOT_REGISTERED);
    }

    @Test
    void aHeartbeatBehindTheRegistrationLeavesTheBrokerFenced() throws Exception {
        start();
        long epoch = quorum.registerBroker(1, UUID.randomUUID(), ENDPOINTS, null).join();

        HeartbeatResult result = quorum.heartbeat(1, epoch, epoch - 1, false).join();

        assertThat(result.fenced()).isTrue();
        assertThat(quorum.image().brokers().get(1).fenced()).isTrue();
    }

    @Test
    void aSilentBrokerIsFencedAfterTheSessionTimeoutAndItsLeadershipsMove() throws Exception {
        // Given broker 1 heartbeating and broker 2 registered but then silent
        start();
        liveBroker(1, null);
        long silentEpoch = TestBrokers.live(quorum, 2, ENDPOINTS, null);
        TopicImage topic = quorum.createTopic("t", 2, (short) 2, Map.of(), false).join();
        assertThat(topic.partitions()).extracting(PartitionImage::leader).containsExactlyInAnyOrder(1, 2);

        // Then after the session timeout broker 2 is fenced, leaves the ISRs, and broker 1 leads everything
        await().atMost(10, TimeUnit.SECONDS).until(() -> quorum.image().brokers().get(2).fenced());
        assertThat(quorum.image().brokers().get(1).fenced()).isFalse();
        for (int p = 0; p < 2; p++) {
            PartitionImage after = partition("t", p);
            PartitionImage before = topic.partitions().get(p);
            assertThat(after.leader()).isEqualTo(1);
            assertThat(after.isr()).containsExactly(1);
            assertThat(after.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
            assertThat(after.leaderEpoch()).isEqualTo(before.leader() == 2 ? 1 : 0);
        }

        // And a heartbeat of the fenced broker unfences it again once caught up
        assertThat(quorum.heartbeat(2, silentEpoch, quorum.appliedIndex(), false).join().fenced()).isFalse();
    }

    @Test
    void aSecondIncarnationIsRefusedWhileTheFirstIsAliveAndAcceptedAfterItsSessionExpired() throws Exception {
        start();
        long firstEpoch = liveBroker(1, null);

        // When another process registers the same node id while the first heartbeats
        ControllerException refused = failure(quorum.registerBroker(1, UUID.randomUUID(), ENDPOINTS, null));

        // Then
        assertThat(refused.error()).isEqualTo(Error.DUPLICATE_BROKER_REGISTRATION);
        assertThat(refused.getMessage()).contains("1");

        // When the first one stops and its session expires
        heartbeater.shutdownNow();
        await().atMost(10, TimeUnit.SECONDS).until(() -> quorum.image().brokers().get(1).fenced());
        UUID second = UUID.randomUUID();
        long secondEpoch = quorum.registerBroker(1, second, ENDPOINTS, null).join();

        // Then the new incarnation gets a higher epoch, and registering it again is idempotent
        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(quorum.registerBroker(1, second, ENDPOINTS, null).join()).isEqualTo(secondEpoch);
        assertThat(failure(quorum.heartbeat(1, firstEpoch, quorum.appliedIndex(), false)).error())
                .isEqualTo(Error.STALE_BROKER_EPOCH);
    }

    @Test
    void controlledShutdownMovesLeadershipsAwayThenLetsTheBrokerGo() throws Exception {
        start();
        liveBroker(1, null);
        long epoch2 = liveBroker(2, null);
        TopicImage topic = quorum.createTopic("t", 4, (short) 2, Map.of(), false).join();
        assertThat(topic.partitions()).anyMatch(p -> p.leader() == 2);

        // When broker 2 asks to shut down
        HeartbeatResult result = quorum.heartbeat(2, epoch2, quorum.appliedIndex(), true).join();

        // Then it leads nothing, is in no ISR, and may stop
        assertThat(result).isEqualTo(new HeartbeatResult(true, true));
        assertThat(quorum.image().topic("t").orElseThrow().partitions()).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(1);
            assertThat(p.isr()).containsExactly(1);
        });
        assertThat(quorum.image().brokers().get(2).fenced()).isTrue();
        assertThat(quorum.image().brokers().get(2).inControlledShutdown()).isTrue();

        // And its restart (a new incarnation) registers at once, without waiting for the session to expire
        long restarted = quorum.registerBroker(2, UUID.randomUUID(), ENDPOINTS, null).join();
        assertThat(restarted).isGreaterThan(epoch2);
        assertThat(quorum.image().brokers().get(2).inControlledShutdown()).isFalse();
    }

    @Test
    void alterPartitionIsFencedByLeaderAndPartitionEpochs() throws Exception {
        start();
        long epoch1 = liveBroker(1, null);
        liveBroker(2, null);
        liveBroker(3, null);
        TopicImage topic = quorum.createTopic("t", 1, (short) 3, Map.of(), false).join();
        PartitionImage p = topic.partitions().getFirst();
        long leaderEpoch = quorum.image().brokers().get(p.leader()).brokerEpoch();
        List<Integer> shrunk = List.of(p.leader());

        // When the leader shrinks the ISR
        PartitionImage after = quorum.alterPartition(p.leader(), leaderEpoch, topic.topicId(), 0, p.leaderEpoch(),
                p.partitionEpoch(), IsrMember.withoutEpochs(shrunk)).join();

        // Then only the partition epoch moves
        assertThat(after.isr()).isEqualTo(shrunk);
        assertThat(after.partitionEpoch()).isEqualTo(p.partitionEpoch() + 1);
        assertThat(after.leaderEpoch()).isEqualTo(p.leaderEpoch());
        assertThat(partition("t", 0)).isEqualTo(after);

        // And stale requests are refused
        assertThat(failure(quorum.alterPartition(p.leader(), leaderEpoch, topic.topicId(), 0, p.leaderEpoch(),
                p.partitionEpoch(), IsrMember.withoutEpochs(p.replicas()))).error()).isEqualTo(Error.INVALID_UPDATE_VERSION);
        assertThat(failure(quorum.alterPartition(p.leader(), leaderEpoch, topic.topicId(), 0, p.leaderEpoch() + 1,
                after.partitionEpoch(), IsrMember.withoutEpochs(p.replicas()))).error()).isEqualTo(Error.FENCED_LEADER_EPOCH);
        int follower = p.replicas().stream().filter(id -> id != p.leader()).findFirst().orElseThrow();
        assertThat(failure(quorum.alterPartition(follower, quorum.image().brokers().get(follower).brokerEpoch(),
                topic.topicId(), 0, p.leaderEpoch(), after.partitionEpoch(), IsrMember.withoutEpochs(p.replicas()))).error())
                .isEqualTo(Error.FENCED_LEADER_EPOCH);
        assertThat(failure(quorum.alterPartition(p.leader(), leaderEpoch, UUID.randomUUID(), 0, p.leaderEpoch(),
                after.partitionEpoch(), IsrMember.withoutEpochs(p.replicas()))).error()).isEqualTo(Error.UNKNOWN_TOPIC_ID);
        assertThat(epoch1).isPositive();
    }

    @Test
    void preferredElectionAndReassignmentRunToCompletion() throws Exception {
        start();
        liveBroker(1, null);
        liveBroker(2, null);
        liveBroker(3, null);
        TopicImage topic = quorum.createTopic("t", 1, (short) 2, Map.of(), false).join();
        PartitionImage p = topic.partitions().getFirst();
        var ref = new PartitionRef("t", 0);
        int preferred = p.replicas().getFirst();

        // Given the preferred replica leads already
        assertThat(quorum.electLeaders(false, List.of(ref)).join().get(ref)).get()
                .extracting(ControllerException::error).isEqualTo(Error.ELECTION_NOT_NEEDED);

        // When moving the partition to the broker it is not on
        int newcomer = List.of(1, 2, 3).stream().filter(id -> !p.replicas().contains(id)).findFirst().orElseThrow();
        List<Integer> target = List.of(newcomer, p.replicas().get(1));
        var accepted = quorum.alterPartitionReassignments(Map.of(ref, Optional.of(target))).join();

        // Then it is in progress until the newcomer joins the ISR
        assertThat(accepted.get(ref)).isEmpty();
        assertThat(quorum.listPartitionReassignments()).containsOnlyKeys(ref);
        PartitionImage moving = partition("t", 0);
        assertThat(moving.addingReplicas()).containsExactly(newcomer);
        assertThat(moving.removingReplicas()).containsExactly(preferred);

        // When the leader adds the newcomer to the ISR
        long leaderEpoch = quorum.image().brokers().get(moving.leader()).brokerEpoch();
        List<Integer> isr = new ArrayList<>(moving.isr());
        isr.add(newcomer);
        PartitionImage done = quorum.alterPartition(moving.leader(), leaderEpoch, topic.topicId(), 0,
                moving.leaderEpoch(), moving.partitionEpoch(), IsrMember.withoutEpochs(isr)).join();

        // Then the reassignment is complete, and the preferred replica (the newcomer) can be elected
        assertThat(done.replicas()).isEqualTo(target);
        assertThat(quorum.listPartitionReassignments()).isEmpty();
        if (done.leader() != newcomer) {
            assertThat(quorum.electLeaders(false, List.of(ref)).join().get(ref)).isEmpty();
        }
        assertThat(partition("t", 0).leader()).isEqualTo(newcomer);
        assertThat(partition("t", 0).isReassigning()).isFalse();
    }

    @Test
    void describeQuorumNamesThisSingleVoterAsLeader() throws Exception {
        start();

        QuorumInfo info = quorum.describeQuorum();

        assertThat(info.leaderId()).isEqualTo(1);
        assertThat(info.leaderEpoch()).isPositive();
        assertThat(info.highWatermark()).isPositive();
        assertThat(info.voters()).singleElement().satisfies(v -> {
            assertThat(v.replicaId()).isEqualTo(1);
            assertThat(v.logEndOffset()).isGreaterThanOrEqualTo(info.highWatermark());
        });
        assertThat(info.observers()).isEmpty();
    }

    @Test
    void leadershipReturnsToThePreferredReplicaAfterItRejoinsTheIsr() throws Exception {
        // Given a rebalance check every second, and broker 2 back from a controlled shutdown
        start();
        quorum.alterConfigs(List.of(ConfigChange.set(ConfigResource.clusterDefault(),
                ActiveController.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, "1")), false).join();
        liveBroker(1, null);
        long epoch2 = liveBroker(2, null);
        TopicImage topic = quorum.createTopic("t", 2, (short) 2, Map.of(), false).join();
        int p = topic.partitions().get(0).leader() == 2 ? 0 : 1;
        quorum.heartbeat(2, epoch2, quorum.appliedIndex(), true).join();
        assertThat(partition("t", p).leader()).isEqualTo(1);
        long restarted = quorum.registerBroker(2, UUID.randomUUID(), ENDPOINTS, null).join();
        heartbeater.scheduleWithFixedDelay(() -> quorum.heartbeat(2, restarted, quorum.appliedIndex(), false),
                0, 300, TimeUnit.MILLISECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !quorum.image().brokers().get(2).fenced());

        // When the leader adds broker 2 back to the ISR
        PartitionImage moved = partition("t", p);
        quorum.alterPartition(1, quorum.image().brokers().get(1).brokerEpoch(), topic.topicId(), p,
                moved.leaderEpoch(), moved.partitionEpoch(), IsrMember.withoutEpochs(List.of(1, 2))).join();

        // Then the periodic rebalance makes it leader again
        await().atMost(10, TimeUnit.SECONDS).until(() -> partition("t", p).leader() == 2);
    }
}
