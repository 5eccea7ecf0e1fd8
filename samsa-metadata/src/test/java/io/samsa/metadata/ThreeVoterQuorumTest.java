package io.samsa.metadata;

import io.samsa.metadata.BrokerRegistration.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Three voters in one JVM, on three localhost ports: writes on any node reach every node. */
class ThreeVoterQuorumTest {
    private static final Tuning TUNING = new Tuning(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(20),
            10_000, 10, true);

    @TempDir
    Path dir;
    private final List<MetadataQuorum> quorums = new ArrayList<>();
    private final Map<Integer, String> voters = new HashMap<>();
    private final List<CompletableFuture<MetadataQuorum>> starting = new ArrayList<>();

    /** Voters start on dedicated threads: start() blocks until a leader exists (never block the common pool). */
    private final ExecutorService starter = Executors.newFixedThreadPool(3, Thread.ofPlatform().daemon()
            .name("voter-start-", 1).factory());
    /** Sends test brokers' heartbeats. */
    private final ScheduledExecutorService beater = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .daemon().name("test-heartbeats").factory());

    @AfterEach
    void closeAll() {
        beater.shutdownNow();
        for (var future : starting) {
            future.thenAccept(MetadataQuorum::close).exceptionally(e -> null).join();
        }
        starter.shutdownNow();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts three voters in parallel (each start waits for a leader) and checks they agree on it. */
    private void startThree() throws Exception {
        startThree(QuorumConfig.DEFAULT_SESSION_TIMEOUT_MS, QuorumConfig.DEFAULT_HEARTBEAT_INTERVAL_MS);
    }

    private void startThree(long sessionTimeoutMs, long heartbeatIntervalMs) throws Exception {
        for (int id = 1; id <= 3; id++) {
            voters.put(id, "localhost:" + freePort());
        }
        for (int id = 1; id <= 3; id++) {
            var config = new QuorumConfig(id, dir.resolve("node-" + id), voters, sessionTimeoutMs,
                    heartbeatIntervalMs);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return MetadataQuorum.start(config, TUNING);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, starter));
        }
        for (var future : starting) {
            quorums.add(future.get(30, TimeUnit.SECONDS));
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(quorums).allSatisfy(q -> {
            assertThat(q.image().controllerId()).isEqualTo(quorums.getFirst().image().controllerId());
            assertThat(q.image().clusterId()).isEqualTo(quorums.getFirst().image().clusterId());
        }));
    }

    private MetadataQuorum leader() {
        return quorums.get(quorums.getFirst().image().controllerId() - 1);
    }

    private static List<Endpoint> endpoints(int id) {
        return List.of(new Endpoint("PLAINTEXT", "localhost", 9092 + id));
    }

    /** The image without the fields that describe the Raft leadership rather than the log. */
    private static ClusterImage logState(MetadataQuorum q) {
        return q.image().withController(-1, 0);
    }

    @Test
    void topicsCreatedOnTheLeaderOrAFollowerAppearEverywhere() throws Exception {
        // Given
        startThree();
        MetadataQuorum leader = leader();
        MetadataQuorum follower = quorums.get(leader.nodeId() % 3);

        // When
        for (int id = 1; id <= 3; id++) {
            TestBrokers.live(leader, id, endpoints(id), null);
        }
        TopicImage onLeader = leader.createTopic("from-leader", 3, (short) 3, Map.of(), false).join();
        TopicImage onFollower = follower.createTopic("from-follower", 2, (short) 2, Map.of(), false).join();
        long pid = follower.allocateProducerIds(2, 100).join();

        // Then every node converges on the same image
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(quorums).allSatisfy(q -> {
            assertThat(q.image().topic("from-leader")).contains(onLeader);
            assertThat(q.image().topic("from-follower")).contains(onFollower);
            assertThat(q.image().nextProducerId()).isEqualTo(pid + 100);
            assertThat(q.image().brokers()).hasSize(3);
            assertThat(q.appliedIndex()).isEqualTo(leader.appliedIndex());
            assertThat(logState(q)).isEqualTo(logState(leader));
        }));
        assertThat(onLeader.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));

        // And an AlterPartition made on a follower is judged by the leader and reaches every node
        PartitionImage p0 = onLeader.partitions().getFirst();
        long brokerEpoch = follower.image().brokers().get(p0.leader()).brokerEpoch();
        PartitionImage shrunk = follower.alterPartition(p0.leader(), brokerEpoch, onLeader.topicId(), 0,
                p0.leaderEpoch(), p0.partitionEpoch(), List.of(new IsrMember(p0.leader(), brokerEpoch))).join();
        assertThat(shrunk.isr()).containsExactly(p0.leader());
        assertThat(shrunk.partitionEpoch()).isEqualTo(p0.partitionEpoch() + 1);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(quorums).allSatisfy(q ->
                assertThat(q.image().topic("from-leader").orElseThrow().partitions().getFirst()).isEqualTo(shrunk)));
        var stale = assertThatThrownBy(() -> follower.alterPartition(p0.leader(), brokerEpoch, onLeader.topicId(), 0,
                p0.leaderEpoch(), p0.partitionEpoch(), IsrMember.withoutEpochs(p0.replicas())).join()).actual();
        assertThat(((ControllerException) stale.getCause()).error())
                .isEqualTo(ControllerException.Error.INVALID_UPDATE_VERSION);
    }

    @Test
    void aFollowerRegistersAndHeartbeatsThroughTheLeaderWithoutLoggingHeartbeats() throws Exception {
        // Given
        startThree();
        MetadataQuorum leader = leader();
        MetadataQuorum follower = quorums.get(leader.nodeId() % 3);

        // When broker 4 registers and heartbeats on a follower
        long epoch = follower.registerBroker(4, UUID.randomUUID(), endpoints(4), "r1").join();
        await().atMost(10, TimeUnit.SECONDS).until(() ->
                !follower.heartbeat(4, epoch, follower.appliedIndex(), false).join().fenced());

        // Then the leader decided it, and heartbeats once unfenced append nothing
        await().atMost(5, TimeUnit.SECONDS).until(() -> follower.image().brokers().containsKey(4)
                && !follower.image().brokers().get(4).fenced());
        long applied = leader.appliedIndex();
        for (int i = 0; i < 5; i++) {
            assertThat(follower.heartbeat(4, epoch, follower.appliedIndex(), false).join().fenced()).isFalse();
        }
        assertThat(leader.appliedIndex()).isEqualTo(applied);
        assertThat(leader.image().brokers().get(4).rack()).isEqualTo("r1");

        // And a second incarnation is refused through the follower too
        var duplicate = assertThatThrownBy(() -> follower.registerBroker(4, UUID.randomUUID(), endpoints(4), null)
                .join()).isInstanceOf(CompletionException.class).actual();
        assertThat(((ControllerException) duplicate.getCause()).error())
                .isEqualTo(ControllerException.Error.DUPLICATE_BROKER_REGISTRATION);

        // And DescribeQuorum on the leader shows all three voters caught up
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            QuorumInfo info = leader.describeQuorum();
            assertThat(info.leaderId()).isEqualTo(leader.nodeId());
            assertThat(info.leaderEpoch()).isEqualTo(leader.image().controllerEpoch());
            assertThat(info.voters()).extracting(QuorumInfo.ReplicaInfo::replicaId).containsExactly(1, 2, 3);
            assertThat(info.voters()).allSatisfy(v -> {
                assertThat(v.logEndOffset()).isGreaterThanOrEqualTo(info.highWatermark());
                assertThat(v.lastCaughtUpTimestampMs()).isPositive();
            });
        });
        assertThat(follower.describeQuorum().leaderId()).isEqualTo(leader.nodeId());
    }

    @Test
    void whenTheLeaderStopsASurvivorLeadsAtAHigherTermAndWritesGoOn() throws Exception {
        // Given
        startThree();
        MetadataQuorum oldLeader = leader();
        TestBrokers.live(oldLeader, 1, endpoints(1), null);
        TestBrokers.live(oldLeader, 2, endpoints(2), null);
        long term = oldLeader.image().controllerEpoch();
        List<MetadataQuorum> survivors = quorums.stream().filter(q -> q != oldLeader).toList();

        // When
        oldLeader.close();

        // Then a survivor becomes the controller at a higher term
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(survivors).allSatisfy(q -> {
            assertThat(q.image().controllerId()).isNotEqualTo(oldLeader.nodeId()).isPositive();
            assertThat(q.image().controllerEpoch()).isGreaterThan(term);
        }));
        MetadataQuorum newLeader = quorums.get(survivors.getFirst().image().controllerId() - 1);
        MetadataQuorum follower = survivors.stream().filter(q -> q != newLeader).findFirst().orElseThrow();

        // And writes through the new leader and through the remaining follower commit on both survivors
        TopicImage a = newLeader.createTopic("after-a", 1, (short) 2, Map.of(), false).join();
        TopicImage b = follower.createTopic("after-b", 1, (short) 1, Map.of(), false).join();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(survivors).allSatisfy(q -> {
            assertThat(q.image().topic("after-a")).contains(a);
            assertThat(q.image().topic("after-b")).contains(b);
        }));
        // and the new controller answers heartbeats (sessions restarted, nobody fenced by the failover)
        long epoch1 = follower.image().brokers().get(1).brokerEpoch();
        assertThat(follower.heartbeat(1, epoch1, follower.appliedIndex(), false).join().fenced()).isFalse();
    }

    /**
     * ADR 0029. The session (1 s) is shorter than the election timeout (1-2 s): the deposed controller's broker,
     * last heard by the new controller before the election, is fenced as soon as that controller is active; with a
     * lease started at the activation (Kafka's rule) it would be fenced a whole session later.
     */
    @Test
    void theDeposedControllersBrokerIsFencedOneSessionAfterItWasLastHeardNotAfterTheElection() throws Exception {
        // Given three voters, each node's broker heartbeating every 100 ms through its own node
        long sessionMs = 1_000;
        startThree(sessionMs, 100);
        var heartbeats = new HashMap<Integer, ScheduledFuture<?>>();
        for (MetadataQuorum q : quorums) {
            long epoch = TestBrokers.live(q, q.nodeId(), endpoints(q.nodeId()), null);
            heartbeats.put(q.nodeId(), beater.scheduleWithFixedDelay(() -> {
                try {
                    q.heartbeat(q.nodeId(), epoch, q.appliedIndex(), false);
                } catch (RuntimeException e) {
                    // as a broker: the next heartbeat retries
                }
            }, 100, 100, TimeUnit.MILLISECONDS));
        }
        MetadataQuorum oldLeader = leader();
        int old = oldLeader.nodeId();
        List<MetadataQuorum> survivors = quorums.stream().filter(q -> q != oldLeader).toList();
        await().atMost(10, TimeUnit.SECONDS).until(() -> survivors.stream().allMatch(q ->
                q.image().brokers().values().stream().noneMatch(BrokerRegistration::fenced)));

        // When the controller's node stops, its broker with it
        heartbeats.get(old).cancel(false);
        oldLeader.close();

        // Then its broker is fenced within a fraction of a session of a new controller being known
        long[] newController = {0};
        await().atMost(20, TimeUnit.SECONDS).pollInterval(5, TimeUnit.MILLISECONDS).until(() -> {
            if (newController[0] == 0 && survivors.stream().anyMatch(q -> q.image().controllerId() > 0
                    && q.image().controllerId() != old)) {
                newController[0] = System.nanoTime();
            }
            return newController[0] != 0;
        });
        var fencedImage = new AtomicReference<ClusterImage>();
        await().atMost(20, TimeUnit.SECONDS).pollInterval(5, TimeUnit.MILLISECONDS).until(() -> {
            for (MetadataQuorum q : survivors) {
                ClusterImage image = q.image();
                if (image.brokers().get(old).fenced()) {
                    fencedImage.set(image);
                    return true;
                }
            }
            return false;
        });
        long fencedAfterMs = (System.nanoTime() - newController[0]) / 1_000_000;
        System.out.printf("broker %d fenced %d ms after a new controller was known (session %d ms)%n", old,
                fencedAfterMs, sessionMs);
        assertThat(fencedAfterMs).as("ms from a new controller to the deposed one's broker fenced")
                .isLessThan(sessionMs * 8 / 10);
        // and only it: the other brokers' leases started at the activation
        assertThat(fencedImage.get().brokers().values()).filteredOn(BrokerRegistration::fenced)
                .extracting(BrokerRegistration::nodeId).containsExactly(old);
    }

    @Test
    void aBrokerOnlyNodeFollowsTheMetadataAndSendsRequestsWithoutVoting() throws Exception {
        // Given three voters with a topic
        startThree();
        MetadataQuorum leader = leader();
        long epoch1 = TestBrokers.live(leader, 1, endpoints(1), null);
        TopicImage before = leader.createTopic("before", 2, (short) 1, Map.of(), false).join();

        // When node 4, not a voter, starts
        var config = new QuorumConfig(4, dir.resolve("node-4"), voters);
        MetadataQuorum observer = MetadataQuorum.start(config, TUNING);
        starting.add(CompletableFuture.completedFuture(observer));
        var seen = new java.util.concurrent.CopyOnWriteArrayList<ClusterImage>();
        observer.addListener(seen::add);

        // Then it has the image, knows the controller, and is no voter
        assertThat(observer.isVoter()).isFalse();
        assertThat(observer.image().clusterId()).isEqualTo(leader.image().clusterId());
        assertThat(observer.image().controllerId()).isEqualTo(leader.nodeId());
        assertThat(observer.image().topic("before")).contains(before);
        assertThat(leader.describeQuorum().voters()).extracting(QuorumInfo.ReplicaInfo::replicaId)
                .containsExactly(1, 2, 3);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(leader.describeQuorum().observers())
                .singleElement().satisfies(o -> {
                    assertThat(o.replicaId()).isEqualTo(4);
                    assertThat(o.lastFetchTimestampMs()).isPositive();
                    assertThat(o.lastCaughtUpTimestampMs()).isPositive();
                }));
        assertThat(observer.describeQuorum().leaderId()).isEqualTo(leader.nodeId());

        // And it registers, is unfenced once caught up, and its writes come back to it
        long epoch = observer.registerBroker(4, UUID.randomUUID(), endpoints(4), null).join();
        await().atMost(10, TimeUnit.SECONDS).until(() ->
                !observer.heartbeat(4, epoch, observer.appliedIndex(), false).join().fenced());
        // broker 1 sends no heartbeats of its own here: on a loaded machine its session (9 s) may have lapsed while
        // node 4 started, so it heartbeats until live again before a topic needs both brokers
        await().atMost(10, TimeUnit.SECONDS).until(() ->
                !leader.heartbeat(1, epoch1, leader.appliedIndex(), false).join().fenced());
        TopicImage created = observer.createTopic("from-observer", 1, (short) 2, Map.of(), false).join();
        TopicImage onLeader = leader.createTopic("from-leader", 1, (short) 1, Map.of(), false).join();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(observer.image().topic("from-observer")).contains(created);
            assertThat(observer.image().topic("from-leader")).contains(onLeader);
            assertThat(observer.appliedIndex()).isEqualTo(leader.appliedIndex());
            assertThat(logState(observer)).isEqualTo(logState(leader));
        });
        assertThat(seen).isNotEmpty();
        assertThat(seen.getLast().topic("from-leader")).contains(onLeader);
    }
}
