package io.samsa.coordinator.runtime;

import io.samsa.storage.AppendOrigin;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Appends to a partition this broker leads, the broker's side of {@link LogWriter} (Kafka's
 * {@code CoordinatorPartitionWriter}); the broker implements it over its replica manager. Thread-safe.
 */
public interface CoordinatorPartitionWriter {

    /**
     * Appends {@code records} as leader with {@code acks=all}.
     *
     * @param origin    {@link AppendOrigin#COORDINATOR} for the transactional batches a coordinator writes itself
     *                  (their producer state is checked as the leader's), else {@link AppendOrigin#CLIENT}
     * @param timeoutMs how long to wait for the in-sync replicas (ms)
     * @return completes once the high watermark passed the batch; fails with the partition's error
     *         (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, ...)
     */
    CompletableFuture<?> append(TopicPartition tp, MemoryRecords records, AppendOrigin origin, long timeoutMs);

    /**
     * Appends the COMMIT or ABORT control batch of a producer as leader with {@code acks=all} (WriteTxnMarkers).
     *
     * @return completes once the in-sync replicas have the marker; fails with the partition's error
     */
    CompletableFuture<?> appendMarker(TopicPartition tp, long producerId, short producerEpoch, int coordinatorEpoch,
                                      TransactionResult result, long timeoutMs);
}
