package io.samsa.coordinator.txn;

import io.samsa.coordinator.runtime.CoordinatorLogReader;
import io.samsa.coordinator.runtime.CoordinatorPartitionWriter;
import io.samsa.coordinator.runtime.CoordinatorRuntime;
import io.samsa.coordinator.runtime.CoordinatorTopicCreator;
import io.samsa.coordinator.runtime.LogWriter;
import io.samsa.metadata.ClusterImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator of this broker (KIP-98; Kafka's {@code TransactionCoordinator} with its
 * {@code TransactionStateManager}) on the {@link CoordinatorRuntime}: one {@link TxnShard} per
 * {@code __transaction_state} partition this broker leads, loaded by replaying the partition when it becomes led
 * here (transactions found in PrepareCommit / PrepareAbort resend their markers) and dropped when the leadership
 * moves or the leader epoch (the coordinator epoch) changes. The coordinator of transactional id T is the leader of
 * {@code Utils.abs(T.hashCode()) % partitions}.
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

    private final TxnConfig config;
    private final ScheduledExecutorService scheduler;
    private final TxnOperations operations;
    private final CoordinatorRuntime<TxnShard, TransactionLogCodec.Entry> runtime;

    /**
     * @param image       the cluster image: who leads which {@code __transaction_state} partition
     * @param logs        the logs of the partitions led here, replayed on load
     * @param partitions  appends to the partitions led here ({@code acks=all})
     * @param producerIds hands out fresh producer ids (blocking briefly; throws the Kafka error)
     * @param markers     writes the markers of prepared transactions
     */
    public TransactionCoordinator(int nodeId, TxnConfig config, Supplier<ClusterImage> image,
                                  CoordinatorLogReader logs, CoordinatorPartitionWriter partitions,
                                  CoordinatorTopicCreator topicCreator, ScheduledExecutorService scheduler,
                                  LongSupplier producerIds, TxnMarkerQueue markers) {
        this.config = config;
        this.scheduler = scheduler;
        this.operations = new TxnOperations(config, producerIds, markers);
        TransactionLogSerde serde = new TransactionLogSerde(config.valueVersion());
        Map<String, String> topicConfigs = Map.of("cleanup.policy", "compact",
                "segment.bytes", Integer.toString(config.topicSegmentBytes()),
                "min.insync.replicas", Integer.toString(config.topicMinIsr()),
                "unclean.leader.election.enable", "false",
                "compression.type", "uncompressed");
        this.runtime = new CoordinatorRuntime<>(new CoordinatorRuntime.Spec("transaction coordinator",
                "transactional id", TOPIC, config.topicPartitions(), config.topicReplication(), topicConfigs, THREADS,
                "samsa-txn-coordinator"), nodeId, image, logs,
                new LogWriter<>(TOPIC, partitions, serde, config.requestTimeoutMs(), System::currentTimeMillis),
                serde, topicCreator, scheduler, context -> new TxnShard(context, this::onLoaded));
    }

    public TxnConfig config() {
        return config;
    }

    public TxnOperations operations() {
        return operations;
    }

    /** Loads the partitions led here and starts the timeout and expiration timers. */
    public void start() {
        runtime.start();
        scheduler.scheduleWithFixedDelay(() -> runtime.forEachLoaded("Aborting timed-out transactions",
                operations::abortTimedOut), config.abortTimedOutIntervalMs(), config.abortTimedOutIntervalMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> runtime.forEachLoaded("Expiring transactional ids",
                operations::expire), config.removeExpiredIntervalMs(), config.removeExpiredIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** Resends the markers of the transactions found prepared (on the shard, right after its load). */
    private void onLoaded(TxnShard shard) {
        int resent = 0;
        for (TxnMetadata m : shard.all()) {
            if (m.state().isPrepare()) {
                operations.sendMarkers(shard, m);
                resent++;
            }
        }
        LOGGER.info("{}-{} holds {} transactional ids, {} completing, at coordinator epoch {}", TOPIC,
                shard.partition(), shard.all().size(), resent, shard.coordinatorEpoch());
    }

    /** The {@code __transaction_state} partition of a transactional id. */
    public int partitionFor(String transactionalId) {
        return runtime.partitionFor(transactionalId);
    }

    /**
     * The node id coordinating {@code transactionalId}, creating {@code __transaction_state} first if needed.
     *
     * @throws CoordinatorNotAvailableException (through the future) when the partition has no leader
     */
    public CompletableFuture<Integer> findCoordinator(String transactionalId) {
        return runtime.findCoordinator(transactionalId);
    }

    /** Creates {@code __transaction_state} unless it exists; fails with COORDINATOR_NOT_AVAILABLE if it cannot. */
    public CompletableFuture<?> ensureTopic() {
        return runtime.ensureTopic();
    }

    /**
     * Runs {@code op} on the shard of {@code transactionalId}; the future fails with NOT_COORDINATOR,
     * COORDINATOR_LOAD_IN_PROGRESS or COORDINATOR_NOT_AVAILABLE when this broker cannot serve the id now, else with
     * what {@code op} throws.
     */
    public <T> CompletableFuture<T> onShard(String transactionalId, Function<TxnShard, T> op) {
        return runtime.scheduleOperation(transactionalId, shard -> CompletableFuture.completedFuture(op.apply(shard)));
    }

    /**
     * Runs {@code op} on the shard of {@code transactionalId} and completes when the future it returns completes
     * (a request held until a transaction completes); fails as {@link #onShard}.
     */
    public <T> CompletableFuture<T> onShardAsync(String transactionalId, Function<TxnShard, CompletableFuture<T>> op) {
        return runtime.scheduleOperation(transactionalId, op);
    }

    /** Every shard this broker holds (loaded or loading), for ListTransactions. */
    public List<TxnShard> shards() {
        return runtime.shards();
    }

    /** Reconciles the shards with the metadata: loads partitions now led here, unloads the others. */
    public void onImage(ClusterImage newImage) {
        runtime.onImage(newImage);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
