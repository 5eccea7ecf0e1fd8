package io.samsa.coordinator.runtime;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape both coordinators share (Kafka's {@code coordinator-common} {@code CoordinatorRuntime}): one shard per
 * partition of an internal topic that this broker leads, each with its state, its serial executor and its timers.
 *
 * <ul>
 *   <li><b>Lifecycle</b> ({@link #onImage}): a partition led here gets a shard at its leader epoch, which replays the
 *       partition ({@link CoordinatorLoader}) before it accepts operations; a partition no longer led here, or led at
 *       a new leader epoch, is unloaded (and reloaded at the new epoch). The coordinator of key K is the leader of
 *       partition {@code Utils.abs(K.hashCode()) % partitions}.</li>
 *   <li><b>Operations</b> run on the key's shard, one at a time per shard ({@link SerialExecutor} on a pool of
 *       {@code threads}); a write operation validates, returns records and a response, the runtime appends the records
 *       ({@code acks=all}) and applies them once acknowledged, or fails the response and changes nothing. They fail
 *       with NOT_COORDINATOR when another broker leads the partition, COORDINATOR_LOAD_IN_PROGRESS while it loads and
 *       COORDINATOR_NOT_AVAILABLE before the topic exists or during shutdown.</li>
 *   <li><b>Topic</b>: created on first need ({@link #findCoordinator}) through the metadata quorum.</li>
 * </ul>
 *
 * <p>Thread-safe. Unlike Kafka's runtime, an append blocks its shard until the in-sync replicas acknowledge it, so
 * that a shard never holds uncommitted state (ADR 0015).
 *
 * @param <S> the shard type
 * @param <R> the record type of the internal topic
 */
public final class CoordinatorRuntime<S extends CoordinatorShard<R>, R> implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(CoordinatorRuntime.class);

    /**
     * What a coordinator is, for the runtime.
     *
     * @param name         e.g. "group coordinator", in errors and logs
     * @param keyKind      e.g. "group", "transactional id", in NOT_COORDINATOR messages
     * @param topic        the internal topic's name
     * @param partitions   its partition count when the runtime creates it (the image's count wins once it exists)
     * @param replication  its replication factor when created
     * @param topicConfigs its topic configs when created
     * @param threads      the size of the pool the shards run on
     * @param threadName   the pool's thread name prefix
     */
    public record Spec(String name, String keyKind, String topic, int partitions, short replication,
                       Map<String, String> topicConfigs, int threads, String threadName) {
        public Spec {
            topicConfigs = Map.copyOf(topicConfigs);
        }
    }

    /** Builds a shard's state around the context the runtime made for it. */
    @FunctionalInterface
    public interface ShardFactory<S, R> {
        S create(ShardContext<R> context);
    }

    private final Spec spec;
    private final int nodeId;
    private final Supplier<ClusterImage> image;
    private final CoordinatorLogReader logs;
    private final CoordinatorWriter<R> writer;
    private final RecordSerde<R> serde;
    private final CoordinatorTopicCreator topicCreator;
    private final ScheduledExecutorService scheduler;
    private final ShardFactory<S, R> factory;
    private final ExecutorService pool;
    private final SerialExecutor serial;
    private final Map<Integer, S> shards = new ConcurrentHashMap<>();
    /** Partitions whose last load failed: the failure is logged once, the retries (one per request) at DEBUG. */
    private final Set<Integer> failedLoads = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private volatile CompletableFuture<?> topicCreating;
    private volatile boolean closed;

    /**
     * @param image     the current cluster image: the leadership source
     * @param logs      the logs of the partitions led here, to replay
     * @param writer    the appends of the shards ({@link LogWriter} in production)
     * @param scheduler runs the shards' timers (the actions themselves run on the shards' executors)
     */
    public CoordinatorRuntime(Spec spec, int nodeId, Supplier<ClusterImage> image, CoordinatorLogReader logs,
                              CoordinatorWriter<R> writer, RecordSerde<R> serde, CoordinatorTopicCreator topicCreator,
                              ScheduledExecutorService scheduler, ShardFactory<S, R> factory) {
        this.spec = spec;
        this.nodeId = nodeId;
        this.image = image;
        this.logs = logs;
        this.writer = writer;
        this.serde = serde;
        this.topicCreator = topicCreator;
        this.scheduler = scheduler;
        this.factory = factory;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(spec.threads(), r -> {
            Thread t = new Thread(r, spec.threadName() + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.serial = new SerialExecutor(pool);
    }

    /** Loads the partitions led here. */
    public void start() {
        onImage(image.get());
    }

    /** The partition of {@code key}. */
    public int partitionFor(String key) {
        int partitions = image.get().topic(spec.topic()).map(t -> t.partitions().size()).orElse(spec.partitions());
        return Utils.abs(key.hashCode()) % partitions;
    }

    /**
     * The node id coordinating {@code key}, creating the topic first if needed; starts loading the shard when the
     * partition is led here.
     *
     * @throws CoordinatorNotAvailableException (through the future) when the partition has no leader or the topic
     *         could not be created
     */
    public CompletableFuture<Integer> findCoordinator(String key) {
        return ensureTopic().thenApply(ignored -> {
            TopicImage topic = image.get().topic(spec.topic()).orElseThrow(this::notAvailable);
            PartitionImage p = topic.partitions().get(Utils.abs(key.hashCode()) % topic.partitions().size());
            if (p.leader() < 0) {
                throw notAvailable();
            }
            if (p.leader() == nodeId) {
                shard(p.partition(), p.leaderEpoch());
            }
            return p.leader();
        });
    }

    /** Creates the topic unless it exists; fails with COORDINATOR_NOT_AVAILABLE if it cannot. */
    public CompletableFuture<?> ensureTopic() {
        if (image.get().topic(spec.topic()).isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lifecycle) {
            CompletableFuture<?> creating = topicCreating;
            if (creating != null && !creating.isDone()) {
                return creating;
            }
            LOGGER.info("Creating {} with {} partitions and replication factor {}", spec.topic(), spec.partitions(),
                    spec.replication());
            creating = topicCreator.create(spec.topic(), spec.partitions(), spec.replication(), spec.topicConfigs())
                    .handle((v, e) -> {
                        if (e != null && image.get().topic(spec.topic()).isEmpty()) {
                            LOGGER.warn("Could not create {}: {}", spec.topic(), e.toString());
                            throw notAvailable();
                        }
                        onImage(image.get());
                        return null;
                    });
            topicCreating = creating;
            return creating;
        }
    }

    private CoordinatorNotAvailableException notAvailable() {
        return new CoordinatorNotAvailableException("The " + spec.name() + " is not available");
    }

    /**
     * The shard of {@code key}, created (and loading) if this broker leads its partition.
     *
     * @throws NotCoordinatorException when another broker leads it
     * @throws CoordinatorNotAvailableException before the topic exists or during shutdown
     */
    public S shardFor(String key) {
        if (closed) {
            throw new CoordinatorNotAvailableException("The broker is shutting down");
        }
        TopicImage topic = image.get().topic(spec.topic()).orElseThrow(this::notAvailable);
        PartitionImage p = topic.partitions().get(Utils.abs(key.hashCode()) % topic.partitions().size());
        if (p.leader() != nodeId) {
            throw new NotCoordinatorException("This broker is not the coordinator of " + spec.keyKind() + " " + key);
        }
        return shard(p.partition(), p.leaderEpoch());
    }

    /**
     * The shard of a partition of the topic led here.
     *
     * @throws NotCoordinatorException when the topic does not exist or another broker leads the partition
     */
    public S shardForPartition(int partition) {
        if (closed) {
            throw new CoordinatorNotAvailableException("The broker is shutting down");
        }
        TopicImage topic = image.get().topic(spec.topic()).orElseThrow(() ->
                new NotCoordinatorException(spec.topic() + " does not exist"));
        if (partition < 0 || partition >= topic.partitions().size()
                || topic.partitions().get(partition).leader() != nodeId) {
            throw new NotCoordinatorException("This broker does not lead " + spec.topic() + "-" + partition);
        }
        return shard(partition, topic.partitions().get(partition).leaderEpoch());
    }

    /**
     * Runs {@code op} on the shard of {@code key} once it is loaded; completes when the future {@code op} returns
     * completes, or with the coordinator error ({@link #shardFor}).
     */
    public <T> CompletableFuture<T> scheduleOperation(String key, Function<S, CompletableFuture<T>> op) {
        S shard;
        try {
            shard = shardFor(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return shard.context().callAsync(() -> op.apply(shard));
    }

    /** Runs {@code op}, which only reads, on the shard of {@code key}; completes with its result or error. */
    public <T> CompletableFuture<T> scheduleReadOperation(String key, Function<S, T> op) {
        return scheduleOperation(key, shard -> CompletableFuture.completedFuture(op.apply(shard)));
    }

    /**
     * Runs {@code op} on the shard of {@code key}: it validates and returns records and a response; the runtime
     * appends the records as one batch ({@code acks=all}), replays them into the shard once acknowledged and
     * completes with the response. When {@code op} throws or the append fails, the future fails and the shard is
     * unchanged.
     */
    public <T> CompletableFuture<T> scheduleWriteOperation(String key, Function<S, CoordinatorResult<R, T>> op) {
        return scheduleOperation(key, shard -> {
            CoordinatorResult<R, T> result = op.apply(shard);
            shard.context().append(result.records());
            for (R record : result.records()) {
                shard.replay(record, RecordBatch.NO_PRODUCER_ID);
            }
            return CompletableFuture.completedFuture(result.response());
        });
    }

    /** Runs {@code task} on every loaded shard, on its executor; a failure is logged ({@code what} names it). */
    public void forEachLoaded(String what, Consumer<S> task) {
        for (S shard : shards.values()) {
            ShardContext<R> context = shard.context();
            context.execute(() -> {
                if (context.isLoaded()) {
                    try {
                        task.accept(shard);
                    } catch (RuntimeException e) {
                        LOGGER.warn("{} on {} failed: {}", what, context.topicPartition(), e.toString());
                    }
                }
            });
        }
    }

    /** Every shard this broker holds (loaded or loading). */
    public List<S> shards() {
        return List.copyOf(shards.values());
    }

    private S shard(int partition, int epoch) {
        S existing = shards.get(partition);
        if (existing != null) {
            return existing;
        }
        synchronized (lifecycle) {
            return shards.computeIfAbsent(partition, p -> newShard(p, epoch));
        }
    }

    private S newShard(int partition, int epoch) {
        TopicPartition tp = new TopicPartition(spec.topic(), partition);
        Executor executor = task -> serial.submit(tp, CompletableFuture.completedFuture(null), () -> {
            task.run();
            return null;
        });
        ShardContext<R> context = new ShardContext<>(tp, epoch, executor, new SchedulerTimer(scheduler, executor),
                writer);
        S shard = factory.create(context);
        context.execute(() -> load(shard));
        return shard;
    }

    private void load(S shard) {
        ShardContext<R> context = shard.context();
        TopicPartition tp = context.topicPartition();
        long start = System.nanoTime();
        try {
            long n = CoordinatorLoader.load(logs.leaderLog(tp), serde, shard);
            context.markLoaded();
            shard.onLoaded();
            LOGGER.info("Loaded {} ({} records) at epoch {} in {} ms{}", tp, n, context.epoch(),
                    (System.nanoTime() - start) / 1_000_000,
                    failedLoads.remove(tp.partition()) ? " after failed attempts" : "");
        } catch (RuntimeException e) {
            if (failedLoads.add(tp.partition())) {
                LOGGER.error("Could not load {}; the {} cannot serve its keys on this broker until a retry (the "
                        + "next request for one of them) succeeds", tp, spec.name(), e);
            } else {
                LOGGER.debug("Could not load {} again: {}", tp, e.toString());
            }
            shards.remove(tp.partition(), shard);
            context.unload();
        }
    }

    /**
     * Reconciles the shards with the metadata: loads partitions now led here, unloads the others and those led
     * here at a new leader epoch (which load again at that epoch).
     */
    public void onImage(ClusterImage newImage) {
        if (closed) {
            return;
        }
        TopicImage topic = newImage.topic(spec.topic()).orElse(null);
        for (Map.Entry<Integer, S> e : new ArrayList<>(shards.entrySet())) {
            ShardContext<R> context = e.getValue().context();
            PartitionImage p = topic == null || e.getKey() >= topic.partitions().size() ? null
                    : topic.partitions().get(e.getKey());
            boolean stillLed = p != null && p.leader() == nodeId && p.leaderEpoch() == context.epoch();
            if (!stillLed && shards.remove(e.getKey(), e.getValue())) {
                LOGGER.info("Unloading {}: {}", context.topicPartition(), p != null && p.leader() == nodeId
                        ? "led here at the new epoch " + p.leaderEpoch() + " (was " + context.epoch() + ")"
                        : "no longer led here");
                unload(e.getValue());
            }
        }
        if (topic != null) {
            for (PartitionImage p : topic.partitions()) {
                if (p.leader() == nodeId) {
                    shard(p.partition(), p.leaderEpoch());
                }
            }
        }
    }

    private void unload(S shard) {
        shard.context().unload();
        shard.context().execute(shard::onUnloaded);
    }

    @Override
    public void close() {
        closed = true;
        shards.values().forEach(this::unload);
        shards.clear();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
