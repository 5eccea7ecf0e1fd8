package io.samsa.metadata;

import io.samsa.metadata.BrokerRegistration.Endpoint;
import io.samsa.metadata.ControllerException.Error;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A real single-voter Ratis quorum (gRPC on localhost) in a temporary directory. */
class MetadataQuorumTest {
    private static final int NODE_ID = 1;
    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("PLAINTEXT", "localhost", 9092));

    @TempDir
    Path dir;
    private final List<MetadataQuorum> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(MetadataQuorum::close);
    }

    private MetadataQuorum start(Tuning tuning) throws IOException {
        var quorum = MetadataQuorum.start(new QuorumConfig(NODE_ID, dir, Map.of(NODE_ID, "localhost:0")), tuning);
        started.add(quorum);
        return quorum;
    }

    private MetadataQuorum start() throws IOException {
        return start(Tuning.DEFAULT);
    }

    private static ControllerException failure(CompletableFuture<?> future) {
        var thrown = assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).actual();
        assertThat(thrown.getCause()).isInstanceOf(ControllerException.class);
        return (ControllerException) thrown.getCause();
    }

    @Test
    void startsAsTheControllerOfAFreshlyFormattedLog() throws Exception {
        // When
        MetadataQuorum quorum = start();

        // Then
        ClusterImage image = quorum.image();
        assertThat(image.clusterId()).hasSize(22);
        assertThat(image.controllerId()).isEqualTo(NODE_ID);
        assertThat(image.controllerEpoch()).isPositive();
        assertThat(quorum.raftAddress()).startsWith("localhost:").doesNotEndWith(":0");
    }

    @Test
    void createsAndDeletesTopics() throws Exception {
        // Given
        MetadataQuorum quorum = start();
        var images = new CopyOnWriteArrayList<ClusterImage>();
        quorum.addListener(images::add);
        long epoch1 = TestBrokers.live(quorum, 1, ENDPOINTS, null);
        long epoch2 = TestBrokers.live(quorum, 2, ENDPOINTS, "r2");

        // When
        TopicImage orders = quorum.createTopic("orders", 3, (short) 2, Map.of("retention.ms", "1000"), false).join();

        // Then
        ClusterImage image = quorum.image();
        assertThat(image.topic("orders")).contains(orders);
        assertThat(image.topic(orders.topicId())).contains(orders);
        assertThat(image.configs(ConfigResource.topic("orders"))).isEqualTo(Map.of("retention.ms", "1000"));
        assertThat(orders.partitions()).hasSize(3).allSatisfy(p -> assertThat(p.replicas()).hasSize(2));
        assertThat(image.brokers().get(2)).satisfies(b -> {
            assertThat(b.brokerEpoch()).isEqualTo(epoch2);
            assertThat(b.endpoints()).isEqualTo(ENDPOINTS);
            assertThat(b.rack()).isEqualTo("r2");
            assertThat(b.fenced()).isFalse();
            assertThat(b.incarnationId()).isNotNull();
        });
        assertThat(epoch2).isGreaterThan(epoch1);
        assertThat(images).extracting(ClusterImage::appliedIndex).isSorted().doesNotHaveDuplicates();
        assertThat(images.getLast()).isEqualTo(image);

        // validate-only commits nothing, and errors come back as Kafka's
        TopicImage wouldBe = quorum.createTopic("payments", 2, (short) 1, Map.of(), true).join();
        assertThat(wouldBe.partitions()).hasSize(2);
        assertThat(quorum.image().topic("payments")).isEmpty();
        assertThat(failure(quorum.createTopic("orders", 1, (short) 1, Map.of(), false)).error())
                .isEqualTo(Error.TOPIC_ALREADY_EXISTS);
        assertThat(failure(quorum.createTopic("x", 1, (short) 3, Map.of(), false)).error())
                .isEqualTo(Error.INVALID_REPLICATION_FACTOR);
        assertThat(failure(quorum.createTopic("x", 0, (short) 1, Map.of(), true)).error())
                .isEqualTo(Error.INVALID_PARTITIONS);
        assertThat(failure(quorum.deleteTopic("missing")).error()).isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);

        // When deleted
        quorum.deleteTopic("orders").join();

        // Then
        assertThat(quorum.image().topics()).isEmpty();
        assertThat(quorum.image().configs()).isEmpty();
    }

    @Test
    void restartOnAnotherPortRecoversTopicsIdsAssignmentsAndProducerIds() throws Exception {
        // Given
        MetadataQuorum first = start();
        TestBrokers.live(first, 1, ENDPOINTS, null);
        TestBrokers.live(first, 2, ENDPOINTS, null);
        first.createTopic("a", 4, (short) 2, Map.of("cleanup.policy", "compact"), false).join();
        first.createTopic("b", 1, (short) 1, Map.of(), false).join();
        long firstBlock = first.allocateProducerIds(1, 1000).join();
        ClusterImage before = first.image();
        String firstAddress = first.raftAddress();
        first.close();

        // When
        MetadataQuorum second = start();

        // Then
        ClusterImage after = second.image();
        assertThat(second.raftAddress()).isNotEqualTo(firstAddress);
        assertThat(after.clusterId()).isEqualTo(before.clusterId());
        assertThat(after.topics()).isEqualTo(before.topics());
        assertThat(after.topicsById()).isEqualTo(before.topicsById());
        assertThat(after.configs()).isEqualTo(before.configs());
        assertThat(after.brokers()).isEqualTo(before.brokers());
        assertThat(after.controllerEpoch()).isGreaterThan(before.controllerEpoch());
        long secondBlock = second.allocateProducerIds(1, 1000).join();
        assertThat(secondBlock).isGreaterThanOrEqualTo(firstBlock + 1000);
        assertThat(TestBrokers.live(second, 1, ENDPOINTS, null))
                .isGreaterThan(before.brokers().get(1).brokerEpoch());
    }

    @Test
    void restoresFromSnapshotPlusLogTail() throws Exception {
        // Given a snapshot covering "a" and a log tail holding "b"; no snapshot on stop
        MetadataQuorum first = start(Tuning.DEFAULT.withSnapshots(10_000, false));
        TestBrokers.live(first, 1, ENDPOINTS, null);
        first.createTopic("a", 2, (short) 1, Map.of(), false).join();
        long snapshotIndex = first.takeSnapshot();
        first.createTopic("b", 2, (short) 1, Map.of(), false).join();
        first.allocateProducerIds(1, 10).join();
        ClusterImage before = first.image();
        first.close();
        assertThat(snapshotIndex).isPositive().isLessThan(before.appliedIndex());
        assertThat(snapshotFiles()).anyMatch(f -> f.endsWith("_" + snapshotIndex));

        // When
        MetadataQuorum second = start();

        // Then
        assertThat(second.image().topics()).isEqualTo(before.topics());
        assertThat(second.image().nextProducerId()).isEqualTo(10);
        assertThat(second.image().appliedIndex()).isGreaterThanOrEqualTo(before.appliedIndex());
    }

    @Test
    void autoSnapshotsKeepTwoFilesAndRestore() throws Exception {
        // Given a low snapshot threshold
        MetadataQuorum first = start(Tuning.DEFAULT.withSnapshots(10, false));
        TestBrokers.live(first, 1, ENDPOINTS, null);
        for (int i = 0; i < 40; i++) {
            first.createTopic("t" + i, 1, (short) 1, Map.of(), false).join();
        }

        // Then snapshots were taken and old ones deleted
        await().atMost(10, TimeUnit.SECONDS).until(() -> snapshotFiles().size() == 2);
        ClusterImage before = first.image();
        first.close();

        // When
        MetadataQuorum second = start();

        // Then
        assertThat(second.image().topics()).isEqualTo(before.topics());
    }

    @Test
    void concurrentCreatesOfTheSameTopicHaveOneWinner() throws Exception {
        // Given
        MetadataQuorum quorum = start();
        TestBrokers.live(quorum, 1, ENDPOINTS, null);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        var go = new CountDownLatch(1);
        var futures = new ArrayList<CompletableFuture<TopicImage>>();
        try {
            // When
            var submitted = new ArrayList<java.util.concurrent.Future<CompletableFuture<TopicImage>>>();
            for (int i = 0; i < threads; i++) {
                submitted.add(pool.submit(() -> {
                    go.await();
                    return quorum.createTopic("race", 1, (short) 1, Map.of(), false);
                }));
            }
            go.countDown();
            for (var f : submitted) {
                futures.add(f.get(10, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        } finally {
            pool.shutdownNow();
        }

        // Then
        assertThat(futures.stream().filter(f -> !f.isCompletedExceptionally())).hasSize(1);
        assertThat(futures.stream().filter(CompletableFuture::isCompletedExceptionally))
                .allSatisfy(f -> assertThat(failure(f).error()).isEqualTo(Error.TOPIC_ALREADY_EXISTS));
        TopicImage winner = futures.stream().filter(f -> !f.isCompletedExceptionally()).findFirst().orElseThrow()
                .join();
        assertThat(quorum.image().topic("race")).contains(winner);
    }

    @Test
    void concurrentProducerIdAllocationsNeverOverlap() throws Exception {
        MetadataQuorum quorum = start();
        var blocks = new ArrayList<CompletableFuture<Long>>();

        for (int i = 0; i < 20; i++) {
            blocks.add(quorum.allocateProducerIds(i % 3, 100));
        }

        List<Long> starts = blocks.stream().map(CompletableFuture::join).sorted().toList();
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i)).isGreaterThanOrEqualTo(starts.get(i - 1) + 100);
        }
        assertThat(quorum.image().nextProducerId()).isEqualTo(2000);
    }

    private List<String> snapshotFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("snapshot.") && !n.endsWith(".md5") && !n.endsWith(".tmp"))
                    .toList();
        }
    }
}
