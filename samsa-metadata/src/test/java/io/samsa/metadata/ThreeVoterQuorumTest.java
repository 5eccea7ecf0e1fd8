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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three voters in one JVM, on three localhost ports: writes on any node reach every node. */
class ThreeVoterQuorumTest {
    private static final Tuning TUNING = new Tuning(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(20),
            10_000, 10, true);

    @TempDir
    Path dir;
    private final List<MetadataQuorum> quorums = new ArrayList<>();
    private final List<CompletableFuture<MetadataQuorum>> starting = new ArrayList<>();

    /** Voters start on dedicated threads: start() blocks until a leader exists (never block the common pool). */
    private final ExecutorService starter = Executors.newFixedThreadPool(3, Thread.ofPlatform().daemon()
            .name("voter-start-", 1).factory());

    @AfterEach
    void closeAll() {
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

    @Test
    void topicsCreatedOnTheLeaderOrAFollowerAppearEverywhere() throws Exception {
        // Given three voters started together (each start waits for a leader, so they must start in parallel)
        Map<Integer, String> voters = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            voters.put(id, "localhost:" + freePort());
        }
        for (int id = 1; id <= 3; id++) {
            var config = new QuorumConfig(id, dir.resolve("node-" + id), voters);
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
        int leaderId = quorums.getFirst().image().controllerId();
        assertThat(quorums).allSatisfy(q -> {
            assertThat(q.image().controllerId()).isEqualTo(leaderId);
            assertThat(q.image().clusterId()).isEqualTo(quorums.getFirst().image().clusterId());
        });
        MetadataQuorum leader = quorums.get(leaderId - 1);
        MetadataQuorum follower = quorums.get(leaderId % 3);

        // When
        for (int id = 1; id <= 3; id++) {
            TestBrokers.live(leader, id, List.of(new Endpoint("PLAINTEXT", "localhost", 9092 + id)), null);
        }
        TopicImage onLeader = leader.createTopic("from-leader", 3, (short) 3, Map.of(), false).join();
        TopicImage onFollower = follower.createTopic("from-follower", 2, (short) 2, Map.of(), false).join();
        long pid = follower.allocateProducerIds(2, 100).join();

        // Then
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(quorums).allSatisfy(q -> {
            assertThat(q.image().topic("from-leader")).contains(onLeader);
            assertThat(q.image().topic("from-follower")).contains(onFollower);
            assertThat(q.image().nextProducerId()).isEqualTo(pid + 100);
            assertThat(q.image().brokers()).hasSize(3);
        }));
        assertThat(onLeader.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
    }
}
