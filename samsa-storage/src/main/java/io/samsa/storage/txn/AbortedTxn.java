package io.samsa.storage.txn;

/**
 * One aborted transaction of a partition, as stored in a segment's {@code .txnindex} (Kafka's {@code AbortedTxn},
 * KIP-98) and returned in Fetch's {@code AbortedTransactions} to {@code read_committed} consumers.
 *
 * @param producerId       the transaction's producer id
 * @param firstOffset      offset of the transaction's first batch in this partition
 * @param lastOffset       offset of its ABORT marker
 * @param lastStableOffset the partition's last stable offset right after the marker was appended
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
