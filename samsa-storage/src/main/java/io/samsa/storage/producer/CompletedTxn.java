package io.samsa.storage.producer;

/**
 * A transaction closed by a COMMIT or ABORT marker in one partition (Kafka's {@code CompletedTxn}, KIP-98).
 *
 * @param producerId       the producer id
 * @param firstOffset      offset of the transaction's first batch in the partition
 * @param lastOffset       offset of the marker
 * @param aborted          true for an ABORT marker
 * @param lastStableOffset the partition's first unstable offset once this transaction is closed: the first offset of
 *                         the oldest transaction of another producer still open, else {@code lastOffset + 1}
 */
public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted,
                           long lastStableOffset) {
}
