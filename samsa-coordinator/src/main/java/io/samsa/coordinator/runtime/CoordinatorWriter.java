package io.samsa.coordinator.runtime;

import java.util.List;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Writes records to one partition of a coordinator's internal topic as its leader, as one batch, and returns once the
 * in-sync replicas have them ({@code acks=all}), so that a restart or a failover replays them. Called on the shard's
 * serial executor; blocking it until the append is acknowledged is the runtime's contract
 * ({@code docs/adr/0015-coordinator-runtime.md}).
 *
 * <p>Only {@link #append} is abstract, so that tests can pass a lambda; the transactional writes (KIP-98
 * TxnOffsetCommit and its markers) throw {@link UnsupportedOperationException} unless the implementation provides
 * them ({@link LogWriter} does).
 *
 * @param <R> the record type of the internal topic
 */
@FunctionalInterface
public interface CoordinatorWriter<R> {

    /**
     * Appends {@code records} as one batch; returns after the batch is in the log (and the high watermark past it).
     *
     * @throws org.apache.kafka.common.errors.ApiException NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS,
     *         REQUEST_TIMED_OUT, KAFKA_STORAGE_ERROR, RECORD_LIST_TOO_LARGE, ... when nothing was appended
     */
    void append(int partition, List<R> records);

    /**
     * Appends {@code records} as one transactional batch of producer {@code producerId} at {@code producerEpoch}
     * (TxnOffsetCommit); returns once the ISR has it. The records stay pending until the transaction's marker.
     *
     * @throws org.apache.kafka.common.errors.ApiException the partition's error (INVALID_PRODUCER_EPOCH,
     *         NOT_LEADER_OR_FOLLOWER, ...) when nothing was appended
     */
    default void appendTransactional(int partition, List<R> records, long producerId, short producerEpoch) {
        throw new UnsupportedOperationException("This writer writes no transactional batches");
    }

    /**
     * Appends the COMMIT or ABORT control batch of producer {@code producerId} (WriteTxnMarkers); returns once the
     * ISR has it.
     *
     * @param timeoutMs how long the {@code acks=all} append may wait for the ISR (ms)
     * @throws org.apache.kafka.common.errors.ApiException the partition's error when nothing was appended
     */
    default void appendMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch,
                              TransactionResult result, long timeoutMs) {
        throw new UnsupportedOperationException("This writer writes no transaction markers");
    }
}
