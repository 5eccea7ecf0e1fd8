package io.samsa.broker.replica;

import io.samsa.coordinator.runtime.CoordinatorPartitionWriter;
import io.samsa.storage.AppendOrigin;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * The coordinators' appends ({@link CoordinatorPartitionWriter}) through {@link ReplicaManager#appendAsLeader} with
 * {@code acks=all} and {@link ReplicaManager#appendTxnMarker}. Thread-safe.
 */
public final class CoordinatorPartitions implements CoordinatorPartitionWriter {
    private static final short ALL_ACKS = -1;
    private final ReplicaManager replicas;

    public CoordinatorPartitions(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<?> append(TopicPartition tp, MemoryRecords records, AppendOrigin origin, long timeoutMs) {
        return replicas.appendAsLeader(tp, records, ALL_ACKS, timeoutMs, origin);
    }

    @Override
    public CompletableFuture<?> appendMarker(TopicPartition tp, long producerId, short producerEpoch,
                                             int coordinatorEpoch, TransactionResult result, long timeoutMs) {
        return replicas.appendTxnMarker(tp, producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
    }
}
