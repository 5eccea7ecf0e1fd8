package io.samsa.storage;

/**
 * One producer's state in a partition, as DescribeProducers (API 61, KIP-664) reports it.
 *
 * @param producerId            the producer id
 * @param producerEpoch         its current epoch
 * @param lastSequence          the last sequence it appended, or -1
 * @param lastTimestamp         timestamp (ms) of its last batch or marker, or -1
 * @param coordinatorEpoch      epoch of the transaction coordinator of its last marker, or -1
 * @param currentTxnStartOffset first offset of its open transaction, or -1
 */
public record ActiveProducer(long producerId, short producerEpoch, int lastSequence, long lastTimestamp,
                             int coordinatorEpoch, long currentTxnStartOffset) {
}
