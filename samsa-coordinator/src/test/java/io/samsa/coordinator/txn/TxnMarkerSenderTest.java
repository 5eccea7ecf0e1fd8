package io.samsa.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.coordinator.runtime.ManualTimer;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Marker sending against a scripted {@link TxnMarkerChannel} and a cluster image the test changes. */
class TxnMarkerSenderTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<ClusterImage> image = new AtomicReference<>();
    /** (broker, request) of every send, in order. */
    private final ConcurrentLinkedQueue<Map.Entry<Integer, WriteTxnMarkersRequest.TxnMarkerEntry>> sent =
            new ConcurrentLinkedQueue<>();
    private volatile BiFunction<Integer, TopicPartition, Errors> answer = (broker, tp) -> Errors.NONE;
    private volatile boolean disconnectOnce;
    private final TxnShard shard = new TxnShard(3, 9, (p, records) -> { }, new ManualTimer(), Runnable::run);

    private final TxnMarkerChannel sender = new TxnMarkerChannel() {
        @Override
        public CompletableFuture<WriteTxnMarkersResponse> send(int brokerId, WriteTxnMarkersRequest.Builder b) {
            WriteTxnMarkersRequest.TxnMarkerEntry entry = b.build((short) 1).markers().getFirst();
            sent.add(Map.entry(brokerId, entry));
            if (disconnectOnce) {
                disconnectOnce = false;
                return CompletableFuture.failedFuture(new DisconnectException("test"));
            }
            Map<TopicPartition, Errors> errors = new HashMap<>();
            entry.partitions().forEach(tp -> errors.put(tp, answer.apply(brokerId, tp)));
            return CompletableFuture.completedFuture(new WriteTxnMarkersResponse(
                    Map.of(entry.producerId(), errors)));
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static ClusterImage image(Map<String, int[]> leaders) {
        Map<String, TopicImage> topics = new HashMap<>();
        Map<UUID, TopicImage> byId = new HashMap<>();
        leaders.forEach((name, ls) -> {
            List<PartitionImage> parts = new java.util.ArrayList<>();
            for (int i = 0; i < ls.length; i++) {
                parts.add(new PartitionImage(i, List.of(1, 2), List.of(1, 2), ls[i], 1, 1));
            }
            TopicImage t = new TopicImage(name, UUID.randomUUID(), parts);
            topics.put(name, t);
            byId.put(t.topicId(), t);
        });
        return new ClusterImage("c", 1, 1, Map.of(), topics, byId, Map.of(), 0, 0);
    }

    private static TxnMetadata prepared(TransactionState state, Set<TopicPartition> partitions) {
        return new TxnMetadata("t", 77, -1, -1, (short) 4, (short) -1, 60_000, state, partitions, 1, 2, (short) 0,
                false);
    }

    @Test
    void sendsOneRequestPerLeaderWithTheCoordinatorEpochAndCompletesWhenAllAnswered() {
        image.set(image(Map.of("a", new int[] {1, 2}, "b", new int[] {1})));
        AtomicInteger done = new AtomicInteger();
        new TxnMarkerSender(sender, image::get, scheduler).enqueue(shard,
                prepared(TransactionState.PREPARE_COMMIT, Set.of(A0, A1, B0)), done::incrementAndGet);
        assertThat(done).hasValue(1);
        assertThat(sent).hasSize(2);
        Map<Integer, Set<TopicPartition>> byBroker = new HashMap<>();
        sent.forEach(e -> {
            assertThat(e.getValue().coordinatorEpoch()).isEqualTo(9);
            assertThat(e.getValue().producerEpoch()).isEqualTo((short) 4);
            assertThat(e.getValue().transactionResult()).isEqualTo(TransactionResult.COMMIT);
            byBroker.put(e.getKey(), Set.copyOf(e.getValue().partitions()));
        });
        assertThat(byBroker).isEqualTo(Map.of(1, Set.of(A0, B0), 2, Set.of(A1)));
    }

    @Test
    void retriesAtTheNewLeaderAfterNotLeaderAndAfterADisconnect() {
        image.set(image(Map.of("a", new int[] {1, 1})));
        answer = (broker, tp) -> broker == 1 && tp.equals(A1) ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE;
        disconnectOnce = true;
        AtomicInteger done = new AtomicInteger();
        new TxnMarkerSender(sender, image::get, scheduler).enqueue(shard,
                prepared(TransactionState.PREPARE_ABORT, Set.of(A0, A1)), done::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() >= 3);
        assertThat(done).hasValue(0);
        // the leadership of a-1 moves to broker 2
        image.set(image(Map.of("a", new int[] {1, 2})));
        await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 1);
        assertThat(sent.stream().filter(e -> e.getKey() == 2).findFirst()).get()
                .satisfies(e -> assertThat(e.getValue().partitions()).containsExactly(A1));
    }

    @Test
    void partitionsOfDeletedTopicsAreDropped() {
        image.set(image(Map.of("a", new int[] {1, 1})));
        AtomicInteger done = new AtomicInteger();
        new TxnMarkerSender(sender, image::get, scheduler).enqueue(shard,
                prepared(TransactionState.PREPARE_COMMIT, Set.of(A0, B0)), done::incrementAndGet);
        assertThat(done).hasValue(1);
        assertThat(sent).singleElement().satisfies(e -> assertThat(e.getValue().partitions()).containsExactly(A0));
    }

    @Test
    void stopsOnAFencedCoordinatorOrAnUnloadedShard() {
        image.set(image(Map.of("a", new int[] {1, 1})));
        answer = (broker, tp) -> Errors.TRANSACTION_COORDINATOR_FENCED;
        AtomicInteger done = new AtomicInteger();
        new TxnMarkerSender(sender, image::get, scheduler).enqueue(shard,
                prepared(TransactionState.PREPARE_COMMIT, Set.of(A0)), done::incrementAndGet);
        assertThat(sent).hasSize(1);

        answer = (broker, tp) -> Errors.NOT_ENOUGH_REPLICAS;
        new TxnMarkerSender(sender, image::get, scheduler).enqueue(shard,
                prepared(TransactionState.PREPARE_COMMIT, Set.of(A1)), done::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() >= 3);
        shard.unload();
        // a retry already running may still send once; after that, nothing more is sent
        AtomicInteger last = new AtomicInteger(-1);
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(5))
                .until(() -> last.getAndSet(sent.size()) == sent.size());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> sent.size() == last.get());
        assertThat(done).hasValue(0);
    }
}
