package io.samsa.coordinator.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's side of one shard: its internal-topic partition, the leader epoch it was loaded at (the coordinator
 * epoch), its status, its serial executor, its timer and its writer. {@link CoordinatorRuntime} creates one per
 * loaded partition; unit tests create one on a same-thread executor and a manual timer.
 *
 * <p>Status: LOADING (operations fail with COORDINATOR_LOAD_IN_PROGRESS) until {@link #markLoaded}, then ACTIVE,
 * then CLOSED after {@link #unload} (operations fail with NOT_COORDINATOR). Thread-safe entry points: {@link #call},
 * {@link #callAsync}, {@link #execute}, {@link #isLoaded}, {@link #isClosed}, {@link #unload} and the getters; the
 * appends run on the executor only.
 *
 * @param <R> the record type of the internal topic
 */
public final class ShardContext<R> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ShardContext.class);

    enum Status { LOADING, ACTIVE, CLOSED }

    private final TopicPartition topicPartition;
    private final int epoch;
    private final Executor executor;
    private final CoordinatorTimer timer;
    private final CoordinatorWriter<R> writer;
    private volatile Status status = Status.LOADING;

    /**
     * @param epoch    the partition's leader epoch when it was loaded: the coordinator epoch written into
     *                 transaction markers, so that partitions reject the markers of a deposed coordinator
     * @param executor a serial executor: tasks run one at a time in submission order
     */
    public ShardContext(TopicPartition topicPartition, int epoch, Executor executor, CoordinatorTimer timer,
                        CoordinatorWriter<R> writer) {
        this.topicPartition = topicPartition;
        this.epoch = epoch;
        this.executor = executor;
        this.timer = timer;
        this.writer = writer;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public int partition() {
        return topicPartition.partition();
    }

    /** The leader epoch the shard was loaded at (the coordinator epoch). */
    public int epoch() {
        return epoch;
    }

    public CoordinatorTimer timer() {
        return timer;
    }

    public boolean isLoaded() {
        return status == Status.ACTIVE;
    }

    public boolean isClosed() {
        return status == Status.CLOSED;
    }

    /** Runs {@code op} on the shard once loaded; completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> op) {
        return callAsync(() -> CompletableFuture.completedFuture(op.get()));
    }

    /** Runs {@code op} on the shard once loaded; completes when the future it returns completes (a delayed join). */
    public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Status s = status;
        if (s != Status.ACTIVE) {
            result.completeExceptionally(statusError(s));
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    if (status != Status.ACTIVE) {
                        throw statusError(status);
                    }
                    op.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new CoordinatorNotAvailableException("The coordinator is shutting down"));
        }
        return result;
    }

    /** Runs {@code task} on the shard whatever its status (loading, timers, unloading); failures are logged. */
    public void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOGGER.error("Task on {} failed", topicPartition, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOGGER.debug("Task on {} dropped: shutting down", topicPartition);
        }
    }

    private RuntimeException statusError(Status s) {
        return switch (s) {
            case LOADING -> new CoordinatorLoadInProgressException(topicPartition + " is loading");
            case CLOSED -> new NotCoordinatorException("This broker no longer leads " + topicPartition);
            case ACTIVE -> new IllegalStateException("active");
        };
    }

    /** Appends records as one batch ({@code acks=all}; shard executor only). Nothing is applied here. */
    public void append(List<? extends R> records) {
        if (!records.isEmpty()) {
            writer.append(partition(), List.copyOf(records));
        }
    }

    /** Appends records as one transactional batch of {@code producerId} (shard executor only). */
    public void appendTransactional(List<? extends R> records, long producerId, short producerEpoch) {
        if (!records.isEmpty()) {
            writer.appendTransactional(partition(), List.copyOf(records), producerId, producerEpoch);
        }
    }

    /** Appends the COMMIT or ABORT marker of {@code producerId} (shard executor only). */
    public void appendMarker(long producerId, short producerEpoch, int coordinatorEpoch, TransactionResult result,
                             long timeoutMs) {
        writer.appendMarker(partition(), producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
    }

    /** Accepts operations from now on; call on the executor once the partition is replayed. */
    public void markLoaded() {
        if (status == Status.LOADING) {
            status = Status.ACTIVE;
        }
    }

    /** Stops serving: timers cancelled, later and queued operations answered NOT_COORDINATOR. */
    public void unload() {
        status = Status.CLOSED;
        timer.cancelAll();
    }
}
