package io.samsa.coordinator.runtime;

import org.apache.kafka.common.requests.TransactionResult;

/**
 * The state of one coordinator partition (a {@code __consumer_offsets} or {@code __transaction_state} partition this
 * broker leads), rebuilt by replaying the partition and kept current by the operations of its coordinator (Kafka's
 * {@code coordinator-common} {@code CoordinatorShard}). Every method runs on the shard's serial executor
 * ({@link ShardContext}), one at a time, so implementations need no locks and are not thread-safe.
 *
 * @param <R> the record type of the internal topic
 */
public interface CoordinatorShard<R> {

    /** The runtime's side of this shard: partition, leader epoch, status, executor, timer and writer. */
    ShardContext<R> context();

    /**
     * Applies one record: while loading (every record of the partition, in log order) and after an append of the
     * shard's own that the in-sync replicas acknowledged.
     *
     * @param producerId the producer id of a transactional batch (KIP-98), else -1: such records stay pending until
     *                   {@link #replayEndTransaction} of that producer
     */
    void replay(R record, long producerId);

    /** Applies a COMMIT or ABORT marker (control batch) of {@code producerId}; the default ignores it. */
    default void replayEndTransaction(long producerId, TransactionResult result) {
    }

    /** Called once the partition is replayed, before the first operation runs (e.g. resume timers, resend). */
    default void onLoaded() {
    }

    /** Called after the shard stopped serving (leadership lost, new epoch, shutdown): fail what is parked. */
    default void onUnloaded() {
    }
}
