package io.samsa.coordinator.group;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Completes a transaction in one {@code __consumer_offsets} partition (KIP-98, WriteTxnMarkers): the group
 * coordinator writes the COMMIT or ABORT marker to the partition through its own write path and then makes the
 * transaction's pending offsets visible (commit) or drops them (abort), so that replay after a restart or failover
 * reaches the same state.
 *
 * <p>Thread-safe.
 */
@FunctionalInterface
public interface TransactionCompletion {

    /**
     * @param offsetsPartition  a {@code __consumer_offsets} partition led by this broker
     * @param producerId        the transaction's producer id
     * @param producerEpoch     the marker's producer epoch
     * @param coordinatorEpoch  the transaction coordinator's epoch (written into the marker)
     * @param result            COMMIT or ABORT
     * @param timeoutMs         how long the marker's {@code acks=all} append may wait for the ISR
     * @return completes once the marker is appended and acknowledged by the ISR; fails with the partition's Kafka
     *         error (NOT_LEADER_OR_FOLLOWER / NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, KAFKA_STORAGE_ERROR,
     *         INVALID_PRODUCER_EPOCH, REQUEST_TIMED_OUT)
     */
    CompletableFuture<Void> completeTransaction(TopicPartition offsetsPartition, long producerId, short producerEpoch,
                                                int coordinatorEpoch, TransactionResult result, long timeoutMs);
}
