package io.samsa.broker.txn;

import io.samsa.coordinator.runtime.CoordinatorTimer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * The transactional ids of one {@code __transaction_state} partition that this broker leads (Kafka's
 * {@code TransactionStateManager} for one partition). Every operation runs on the shard's serial executor, one at a
 * time: it validates against the in-memory state, writes the new state ({@link #write}, {@code acks=all}), and only
 * once the write is acknowledged applies it; a failed write changes nothing.
 *
 * <p>Until {@link #markLoaded} the shard answers COORDINATOR_LOAD_IN_PROGRESS; after {@link #unload},
 * NOT_COORDINATOR. Thread-safe entry points: {@link #call}, {@link #execute}, {@link #isLoaded}, {@link #isClosed},
 * {@link #coordinatorEpoch}; everything else runs on the executor.
 */
public final class TxnShard {
    enum Status { LOADING, ACTIVE, CLOSED }

    private final int partition;
    private final int coordinatorEpoch;
    private final TxnLogWriter writer;
    private final CoordinatorTimer timer;
    private final Executor executor;
    private final Map<String, TxnMetadata> txns = new HashMap<>();
    private volatile Status status = Status.LOADING;

    /**
     * @param coordinatorEpoch the leader epoch of the partition when it was loaded: written into markers, so that
     *                         partitions reject markers of a deposed coordinator
     * @param executor         a serial executor: tasks run one at a time in submission order
     */
    public TxnShard(int partition, int coordinatorEpoch, TxnLogWriter writer, CoordinatorTimer timer,
                    Executor executor) {
        this.partition = partition;
        this.coordinatorEpoch = coordinatorEpoch;
        this.writer = writer;
        this.timer = timer;
        this.executor = executor;
    }

    public int partition() {
        return partition;
    }

    public int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    public long nowMs() {
        return timer.nowMs();
    }

    public boolean isLoaded() {
        return status == Status.ACTIVE;
    }

    public boolean isClosed() {
        return status == Status.CLOSED;
    }

    /** Runs {@code op} on the shard once loaded; completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (status != Status.ACTIVE) {
            result.completeExceptionally(statusError(status));
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    if (status != Status.ACTIVE) {
                        throw statusError(status);
                    }
                    result.complete(op.get());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new NotCoordinatorException("The coordinator is shutting down"));
        }
        return result;
    }

    /** Runs {@code task} on the shard's executor (loading, timers, marker completions); a closed pool drops it. */
    public void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException ignored) {
            // shutting down
        }
    }

    private RuntimeException statusError(Status s) {
        return s == Status.LOADING
                ? new CoordinatorLoadInProgressException("The transaction coordinator is loading " + partition)
                : new NotCoordinatorException("This broker no longer leads __transaction_state-" + partition);
    }

    /** The state of {@code transactionalId}, or null. */
    public TxnMetadata get(String transactionalId) {
        return txns.get(transactionalId);
    }

    /** Every transactional id of the partition. */
    public Collection<TxnMetadata> all() {
        return List.copyOf(txns.values());
    }

    /**
     * Writes {@code transit} (prepared from {@code from}) and, once acknowledged, applies it.
     *
     * @return the state now in effect
     * @throws org.apache.kafka.common.errors.ApiException from the write; nothing changed
     */
    public TxnMetadata write(TxnMetadata from, TxnTransit transit) {
        writer.write(partition, from.transactionalId(), transit);
        TxnMetadata applied = from.complete(transit);
        txns.put(from.transactionalId(), applied);
        return applied;
    }

    /** Keeps {@code metadata} in memory without writing it (a failed fencing write is remembered this way). */
    public void put(TxnMetadata metadata) {
        txns.put(metadata.transactionalId(), metadata);
    }

    /** Writes the tombstone of an expired id and forgets it. */
    public void remove(TxnMetadata metadata) {
        writer.write(partition, metadata.transactionalId(), null);
        txns.remove(metadata.transactionalId());
    }

    /** Applies one replayed record (null: a tombstone). Loading only. */
    public void replay(String transactionalId, TxnTransit value) {
        if (value == null || value.state() == TransactionState.DEAD) {
            txns.remove(transactionalId);
        } else {
            txns.put(transactionalId, TxnMetadata.fromLog(transactionalId, value));
        }
    }

    public void markLoaded() {
        if (status == Status.LOADING) {
            status = Status.ACTIVE;
        }
    }

    /** Stops serving: later and queued operations fail with NOT_COORDINATOR. */
    public void unload() {
        status = Status.CLOSED;
        timer.cancelAll();
    }
}
