package io.samsa.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime with a shard of strings over real partition logs: loading on leadership (including transactional
 * batches and their markers), read and write operations, a failed append, unloading on lost leadership and
 * reloading on a new leader epoch, and the topic creation on first need.
 */
class CoordinatorRuntimeTest {
    static final String TOPIC = "__test_state";
    static final int NODE = 1;
    static final Uuid TOPIC_ID = Uuid.randomUuid();

    /** Key "k" and value "v" as "k=v"; a null value is a tombstone. */
    static final RecordSerde<String> SERDE = new RecordSerde<>() {
        @Override
        public byte[] key(String record) {
            return record.split("=", 2)[0].getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] value(String record) {
            String[] kv = record.split("=", 2);
            return kv.length < 2 ? null : kv[1].getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(ByteBuffer key, ByteBuffer value) {
            return StandardCharsets.UTF_8.decode(key) + (value == null ? "" : "=" + StandardCharsets.UTF_8.decode(value));
        }
    };

    /** The applied records, the pending transactional ones, and the lifecycle calls. */
    static final class StringShard implements CoordinatorShard<String> {
        final ShardContext<String> context;
        final List<String> applied = new ArrayList<>();
        final Map<Long, List<String>> pending = new HashMap<>();
        volatile boolean loaded;
        volatile boolean unloaded;

        StringShard(ShardContext<String> context) {
            this.context = context;
        }

        @Override
        public ShardContext<String> context() {
            return context;
        }

        @Override
        public void replay(String record, long producerId) {
            if (producerId >= 0) {
                pending.computeIfAbsent(producerId, p -> new ArrayList<>()).add(record);
            } else {
                applied.add(record);
            }
        }

        @Override
        public void replayEndTransaction(long producerId, TransactionResult result) {
            List<String> ended = pending.remove(producerId);
            if (ended != null && result == TransactionResult.COMMIT) {
                applied.addAll(ended);
            }
        }

        @Override
        public void onLoaded() {
            loaded = true;
        }

        @Override
        public void onUnloaded() {
            unloaded = true;
        }
    }

    @TempDir
    Path dir;
    LogManager logs;
    final AtomicReference<ClusterImage> image = new AtomicReference<>(ClusterImage.empty());
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<String> appended = new CopyOnWriteArrayList<>();
    final List<StringShard> created = new CopyOnWriteArrayList<>();
    final AtomicInteger creations = new AtomicInteger();
    volatile boolean failAppends;
    CoordinatorRuntime<StringShard, String> runtime;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM);
        CoordinatorWriter<String> writer = (partition, records) -> {
            if (failAppends) {
                throw new NotLeaderOrFollowerException("not the leader (test)");
            }
            appended.addAll(records);
        };
        CoordinatorTopicCreator creator = (name, partitions, replication, configs) -> {
            creations.incrementAndGet();
            assertThat(configs).containsEntry("cleanup.policy", "compact");
            topic(partitions, NODE, 0);
            return CompletableFuture.completedFuture(null);
        };
        runtime = new CoordinatorRuntime<>(new CoordinatorRuntime.Spec("test coordinator", "key", TOPIC, 2,
                (short) 1, Map.of("cleanup.policy", "compact"), 2, "test-coordinator"), NODE, image::get,
                tp -> logs.get(tp).orElseThrow(() -> new NotLeaderOrFollowerException(tp.toString())), writer, SERDE,
                creator, scheduler, context -> {
                    StringShard s = new StringShard(context);
                    created.add(s);
                    return s;
                });
    }

    @AfterEach
    void tearDown() throws Exception {
        runtime.close();
        scheduler.shutdownNow();
        logs.close();
    }

    /** Sets the topic with {@code partitions} partitions, partition 0 led by {@code leader} at {@code epoch}. */
    void topic(int partitions, int leader, int epoch) {
        for (int p = 0; p < partitions; p++) {
            try {
                logs.getOrCreate(new TopicPartition(TOPIC, p), TOPIC_ID, LogConfig.defaults());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<PartitionImage> ps = new ArrayList<>();
        ps.add(new PartitionImage(0, List.of(1, 2), List.of(1, 2), leader, epoch, 0));
        for (int p = 1; p < partitions; p++) {
            ps.add(new PartitionImage(p, List.of(1, 2), List.of(1, 2), 2, 0, 0));
        }
        UUID id = UUID.nameUUIDFromBytes(TOPIC.getBytes(StandardCharsets.UTF_8));
        TopicImage t = new TopicImage(TOPIC, id, ps);
        ClusterImage old = image.get();
        image.set(new ClusterImage("c", 1, 1, old.brokers(), Map.of(TOPIC, t), Map.of(id, t), old.configs(), 0,
                old.appliedIndex() + 1));
    }

    static String keyOn(int partition) {
        for (int i = 0; ; i++) {
            if (Utils.abs(("k" + i).hashCode()) % 2 == partition) {
                return "k" + i;
            }
        }
    }

    PartitionLog log0() {
        return logs.get(new TopicPartition(TOPIC, 0)).orElseThrow();
    }

    StringShard loadedShard() {
        await().until(() -> runtime.shards().size() == 1 && runtime.shards().getFirst().loaded);
        return runtime.shards().getFirst();
    }

    @Test
    void findCoordinatorCreatesTheTopicOnceAndLoadsTheLedPartition() {
        assertThatThrownBy(() -> runtime.shardFor("k")).isInstanceOf(CoordinatorNotAvailableException.class);

        assertThat(runtime.findCoordinator(keyOn(0)).join()).isEqualTo(NODE);
        assertThat(runtime.findCoordinator(keyOn(1)).join()).isEqualTo(2);

        assertThat(creations).hasValue(1);
        assertThat(loadedShard().context().topicPartition()).isEqualTo(new TopicPartition(TOPIC, 0));
        assertThatThrownBy(() -> runtime.shardFor(keyOn(1))).isInstanceOf(NotCoordinatorException.class);
    }

    @Test
    void loadingReplaysDataTransactionalBatchesAndMarkers() {
        topic(2, NODE, 0);
        log0().appendAsLeader(LogWriter.build(SERDE, List.of("a=1", "b=1"), 1L), 0);
        log0().appendAsLeader(LogWriter.build(SERDE, List.of("c=1"), 1L, 7L, (short) 0), 0, AppendOrigin.COORDINATOR);
        log0().appendAsLeader(LogWriter.build(SERDE, List.of("d=1"), 1L, 8L, (short) 0), 0, AppendOrigin.COORDINATOR);
        log0().appendAsLeader(MemoryRecords.withEndTransactionMarker(2L, 7L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0)), 0, AppendOrigin.COORDINATOR);
        log0().appendAsLeader(LogWriter.build(SERDE, List.of("a"), 3L), 0);

        runtime.start();

        StringShard shard = loadedShard();
        assertThat(shard.context().epoch()).isZero();
        assertThat(runtime.scheduleReadOperation(keyOn(0), s -> List.copyOf(s.applied)).join())
                .containsExactly("a=1", "b=1", "c=1", "a");
        assertThat(runtime.scheduleReadOperation(keyOn(0), s -> Map.copyOf(s.pending)).join())
                .isEqualTo(Map.of(8L, List.of("d=1")));
    }

    @Test
    void aWriteIsAppliedOnlyOnceAppended() {
        topic(2, NODE, 0);
        runtime.start();
        StringShard shard = loadedShard();

        assertThat(runtime.scheduleWriteOperation(keyOn(0), s -> new CoordinatorResult<>(List.of("x=1"), "ok"))
                .join()).isEqualTo("ok");
        failAppends = true;
        CompletableFuture<String> failed = runtime.scheduleWriteOperation(keyOn(0),
                s -> new CoordinatorResult<>(List.of("y=1"), "ok"));

        assertThat(failed).failsWithin(java.time.Duration.ofSeconds(10)).withThrowableThat()
                .havingRootCause().isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(appended).containsExactly("x=1");
        assertThat(runtime.scheduleReadOperation(keyOn(0), s -> List.copyOf(s.applied)).join())
                .isEqualTo(List.of("x=1"))
                .isEqualTo(shard.applied);
        assertThat(CoordinatorErrors.toError(failed.handle((v, e) -> e).join()))
                .isEqualTo(org.apache.kafka.common.protocol.Errors.NOT_COORDINATOR);
    }

    @Test
    void aNewLeaderEpochReloadsAndLostLeadershipUnloads() {
        topic(2, NODE, 0);
        runtime.start();
        StringShard first = loadedShard();

        topic(2, NODE, 1);
        runtime.onImage(image.get());

        await().until(() -> first.unloaded);
        StringShard second = loadedShard();
        assertThat(second).isNotSameAs(first);
        assertThat(second.context().epoch()).isEqualTo(1);
        assertThat(first.context().call(() -> "late")).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableThat().withCauseInstanceOf(NotCoordinatorException.class);

        topic(2, 2, 2);
        runtime.onImage(image.get());

        await().until(() -> second.unloaded);
        assertThat(runtime.shards()).isEmpty();
        assertThat(runtime.scheduleReadOperation(keyOn(0), s -> "x"))
                .failsWithin(java.time.Duration.ofSeconds(10)).withThrowableThat()
                .withCauseInstanceOf(NotCoordinatorException.class);
    }

    @Test
    void operationsWaitForTheLoad() {
        ShardContext<String> context = new ShardContext<>(new TopicPartition(TOPIC, 0), 0, Runnable::run,
                new ManualTimer(), (p, r) -> { });

        assertThat(context.call(() -> "x")).failsWithin(java.time.Duration.ofSeconds(1)).withThrowableThat()
                .withCauseInstanceOf(CoordinatorLoadInProgressException.class);
        context.markLoaded();
        assertThat(context.call(() -> "x").join()).isEqualTo("x");
    }
}
