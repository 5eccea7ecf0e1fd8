package io.samsa.broker.txn;

import io.samsa.coordinator.runtime.SerialExecutor;
import io.samsa.broker.group.GroupCoordinator;
import io.samsa.coordinator.runtime.SchedulerTimer;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
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
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator of this broker (KIP-98; Kafka's {@code TransactionCoordinator} with its
 * {@code TransactionStateManager}), in the shape of {@link GroupCoordinator}: one {@link TxnShard} per
 * {@code __transaction_state} partition this broker leads, loaded by replaying the partition when it becomes led
 * here (transactions found in PrepareCommit / PrepareAbort resend their markers) and dropped when the leadership
 * moves. The coordinator of transactional id T is the leader of {@code Utils.abs(T.hashCode()) % partitions}.
 *
 * <p>{@code __transaction_state} is created on first need (FindCoordinator TRANSACTION, InitProducerId) with
 * {@code transaction.state.log.num.partitions}, {@code transaction.state.log.replication.factor},
 * {@code min.insync.replicas=transaction.state.log.min.isr}, {@code cleanup.policy=compact} and
 * {@code segment.bytes=transaction.state.log.segment.bytes}.
 *
 * <p>Operations run on the id's shard ({@link #onShard}) and fail with NOT_COORDINATOR when another broker leads the
 * partition, COORDINATOR_LOAD_IN_PROGRESS while it loads and COORDINATOR_NOT_AVAILABLE before the topic exists.
 * Timed-out transactions are aborted every {@code transaction.abort.timed.out.transaction.cleanup.interval.ms};
 * idle ids expire every {@code transaction.remove.expired.transaction.cleanup.interval.ms}. Thread-safe.
 */
public final class TransactionCoordinator implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TransactionCoordinator.class);
    public static final String TOPIC = Topic.TRANSACTION_STATE_TOPIC_NAME;
    private static final int THREADS = 2;

    private final int nodeId;
    private final TxnConfig config;
    private final Supplier<ClusterImage> image;
    private final ReplicaManager replicas;
    private final TxnLogWriter writer;
    private final GroupCoordinator.TopicCreation topicCreation;
    private final ScheduledExecutorService scheduler;
    private final TxnOperations operations;
    private final ExecutorService pool;
    private final SerialExecutor serial;
    private final Map<Integer, TxnShard> shards = new ConcurrentHashMap<>();
    private final Set<Integer> failedLoads = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private volatile CompletableFuture<?> topicCreating;
    private volatile boolean closed;

    /**
     * @param producerIds hands out fresh producer ids (blocking briefly; throws the Kafka error)
     * @param markers     writes the markers of prepared transactions
     */
    public TransactionCoordinator(int nodeId, TxnConfig config, Supplier<ClusterImage> image, ReplicaManager replicas,
                                  GroupCoordinator.TopicCreation topicCreation, ScheduledExecutorService scheduler,
                                  LongSupplier producerIds, TxnMarkerQueue markers) {
        this.nodeId = nodeId;
        this.config = config;
        this.image = image;
        this.replicas = replicas;
        this.writer = new TransactionLogWriter(replicas, config);
        this.topicCreation = topicCreation;
        this.scheduler = scheduler;
        this.operations = new TxnOperations(config, producerIds, markers);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "samsa-txn-coordinator-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.serial = new SerialExecutor(pool);
    }

    public TxnConfig config() {
        return config;
    }

    public TxnOperations operations() {
        return operations;
    }

    /** Loads the partitions led here and starts the timeout and expiration timers. */
    public void start() {
        onImage(image.get());
        scheduler.scheduleWithFixedDelay(() -> everyShard(operations::abortTimedOut),
                config.abortTimedOutIntervalMs(), config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> everyShard(operations::expire),
                config.removeExpiredIntervalMs(), config.removeExpiredIntervalMs(), TimeUnit.MILLISECONDS);
    }

    private void everyShard(Consumer<TxnShard> task) {
        for (TxnShard shard : shards.values()) {
            shard.execute(() -> {
                if (shard.isLoaded()) {
                    try {
                        task.accept(shard);
                    } catch (RuntimeException e) {
                        LOGGER.warn("Periodic task on {}-{} failed: {}", TOPIC, shard.partition(), e.toString());
                    }
                }
            });
        }
    }

    /** The {@code __transaction_state} partition of a transactional id. */
    public int partitionFor(String transactionalId) {
        int partitions = image.get().topic(TOPIC).map(t -> t.partitions().size()).orElse(config.topicPartitions());
        return Utils.abs(transactionalId.hashCode()) % partitions;
    }

    /**
     * The node id coordinating {@code transactionalId}, creating {@code __transaction_state} first if needed.
     *
     * @throws CoordinatorNotAvailableException (through the future) when the partition has no leader
     */
    public CompletableFuture<Integer> findCoordinator(String transactionalId) {
        return ensureTopic().thenApply(ignored -> {
            TopicImage topic = image.get().topic(TOPIC).orElseThrow(() ->
                    new CoordinatorNotAvailableException("The transaction coordinator is not available"));
            PartitionImage p = topic.partitions().get(Utils.abs(transactionalId.hashCode()) % topic.partitions().size());
            if (p.leader() < 0) {
                throw new CoordinatorNotAvailableException("The transaction coordinator is not available");
            }
            if (p.leader() == nodeId) {
                shard(p.partition());
            }
            return p.leader();
        });
    }

    /** Creates {@code __transaction_state} unless it exists; fails with COORDINATOR_NOT_AVAILABLE if it cannot. */
    public CompletableFuture<?> ensureTopic() {
        if (image.get().topic(TOPIC).isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lifecycle) {
            CompletableFuture<?> creating = topicCreating;
            if (creating != null && !creating.isDone()) {
                return creating;
            }
            Map<String, String> configs = Map.of("cleanup.policy", "compact",
                    "segment.bytes", Integer.toString(config.topicSegmentBytes()),
                    "min.insync.replicas", Integer.toString(config.topicMinIsr()),
                    "unclean.leader.election.enable", "false",
                    "compression.type", "uncompressed");
            LOGGER.info("Creating {} with {} partitions and replication factor {}", TOPIC, config.topicPartitions(),
                    config.topicReplication());
            creating = topicCreation.create(TOPIC, config.topicPartitions(), config.topicReplication(), configs)
                    .handle((v, e) -> {
                        if (e != null && image.get().topic(TOPIC).isEmpty()) {
                            LOGGER.warn("Could not create {}: {}", TOPIC, e.toString());
                            throw new CoordinatorNotAvailableException("The transaction coordinator is not available");
                        }
                        onImage(image.get());
                        return null;
                    });
            topicCreating = creating;
            return creating;
        }
    }

    /**
     * Runs {@code op} on the shard of {@code transactionalId}; the future fails with NOT_COORDINATOR,
     * COORDINATOR_LOAD_IN_PROGRESS or COORDINATOR_NOT_AVAILABLE when this broker cannot serve the id now, else with
     * what {@code op} throws.
     */
    public <T> CompletableFuture<T> onShard(String transactionalId, Function<TxnShard, T> op) {
        TxnShard shard;
        try {
            shard = shardFor(transactionalId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return shard.call(() -> op.apply(shard));
    }

    private TxnShard shardFor(String transactionalId) {
        if (closed) {
            throw new CoordinatorNotAvailableException("The broker is shutting down");
        }
        TopicImage topic = image.get().topic(TOPIC).orElseThrow(() ->
                new CoordinatorNotAvailableException("The transaction coordinator is not available"));
        int partition = Utils.abs(transactionalId.hashCode()) % topic.partitions().size();
        if (topic.partitions().get(partition).leader() != nodeId) {
            throw new NotCoordinatorException("This broker is not the coordinator of transactional id "
                    + transactionalId);
        }
        return shard(partition);
    }

    /** Every shard this broker holds (loaded or loading), for ListTransactions. */
    public List<TxnShard> shards() {
        return List.copyOf(shards.values());
    }

    private TxnShard shard(int partition) {
        TxnShard existing = shards.get(partition);
        if (existing != null) {
            return existing;
        }
        synchronized (lifecycle) {
            return shards.computeIfAbsent(partition, this::newShard);
        }
    }

    private TxnShard newShard(int partition) {
        Object key = TOPIC + "-" + partition;
        Executor executor = task -> serial.submit(key, CompletableFuture.completedFuture(null), () -> {
            task.run();
            return null;
        });
        int epoch = image.get().topic(TOPIC).map(t -> t.partitions().get(partition).leaderEpoch()).orElse(0);
        TxnShard shard = new TxnShard(partition, epoch, writer, new SchedulerTimer(scheduler, executor), executor);
        shard.execute(() -> load(shard));
        return shard;
    }

    private void load(TxnShard shard) {
        TopicPartition tp = new TopicPartition(TOPIC, shard.partition());
        long start = System.nanoTime();
        try {
            long n = TransactionLogLoader.load(replicas.leaderLog(tp), shard);
            shard.markLoaded();
            int resent = 0;
            for (TxnMetadata m : shard.all()) {
                if (m.state().isPrepare()) {
                    operations.sendMarkers(shard, m);
                    resent++;
                }
            }
            LOGGER.info("Loaded {} ({} records, {} transactional ids, {} completing) at coordinator epoch {} in {} ms",
                    tp, n, shard.all().size(), resent, shard.coordinatorEpoch(),
                    (System.nanoTime() - start) / 1_000_000);
            failedLoads.remove(shard.partition());
        } catch (RuntimeException e) {
            if (failedLoads.add(shard.partition())) {
                LOGGER.error("Could not load {}; its transactional ids are unavailable on this broker until a retry "
                        + "succeeds", tp, e);
            } else {
                LOGGER.debug("Could not load {} again: {}", tp, e.toString());
            }
            shards.remove(shard.partition(), shard);
            shard.unload();
        }
    }

    /** Reconciles the shards with the metadata: loads partitions now led here, unloads the others. */
    public void onImage(ClusterImage newImage) {
        if (closed) {
            return;
        }
        TopicImage topic = newImage.topic(TOPIC).orElse(null);
        Set<Integer> led = new HashSet<>();
        if (topic != null) {
            for (PartitionImage p : topic.partitions()) {
                if (p.leader() == nodeId) {
                    led.add(p.partition());
                }
            }
        }
        for (Map.Entry<Integer, TxnShard> e : new ArrayList<>(shards.entrySet())) {
            TxnShard shard = e.getValue();
            boolean stillLed = led.contains(e.getKey()) && topic != null
                    && topic.partitions().get(e.getKey()).leaderEpoch() == shard.coordinatorEpoch();
            if (!stillLed && shards.remove(e.getKey(), shard)) {
                LOGGER.info("Unloading {}-{}: no longer led here at epoch {}", TOPIC, e.getKey(),
                        shard.coordinatorEpoch());
                shard.unload();
            }
        }
        led.forEach(this::shard);
    }

    @Override
    public void close() {
        closed = true;
        shards.values().forEach(TxnShard::unload);
        shards.clear();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
