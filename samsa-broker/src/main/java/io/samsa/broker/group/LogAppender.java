package io.samsa.broker.group;

import io.samsa.broker.group.record.CoordinatorRecord;
import io.samsa.broker.group.record.RecordCodec;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.storage.AppendOrigin;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Appends coordinator records to {@code __consumer_offsets} through {@link ReplicaManager#appendAsLeader} with
 * {@code acks=all}: one uncompressed magic-2 batch per call, every record keyed, create-time timestamps; no producer
 * id, except the transactional batches of TxnOffsetCommit (written with {@link AppendOrigin#COORDINATOR}), whose
 * COMMIT/ABORT markers go through {@link ReplicaManager#appendTxnMarker}. Thread-safe.
 */
public final class LogAppender implements CoordinatorAppender {
    private static final short ALL_ACKS = -1;
    /** Kafka's {@code offsets.commit.timeout.ms} default: how long a coordinator write waits for the ISR. */
    private static final long COMMIT_TIMEOUT_MS = 5_000;
    private final ReplicaManager replicas;

    public LogAppender(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public void append(int partition, List<CoordinatorRecord> records) {
        await(replicas.appendAsLeader(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, partition),
                build(records, System.currentTimeMillis()), ALL_ACKS, COMMIT_TIMEOUT_MS));
    }

    /** Appends through the leader's transactional producer state ({@link AppendOrigin#COORDINATOR}). */
    @Override
    public void appendTransactional(int partition, List<CoordinatorRecord> records, long producerId,
                                    short producerEpoch) {
        await(replicas.appendAsLeader(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, partition),
                build(records, System.currentTimeMillis(), producerId, producerEpoch), ALL_ACKS, COMMIT_TIMEOUT_MS,
                AppendOrigin.COORDINATOR));
    }

    @Override
    public void appendMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch,
                             TransactionResult result, long timeoutMs) {
        await(replicas.appendTxnMarker(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, partition), producerId,
                producerEpoch, coordinatorEpoch, result, timeoutMs));
    }

    private static void await(CompletableFuture<?> appended) {
        try {
            appended.join(); // the coordinator answers once every in-sync replica has the records (and fsynced them
                             // under flush.messages), as Kafka's coordinators append with acks=all
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** The batch for {@code records}. */
    public static MemoryRecords build(List<CoordinatorRecord> records, long timestampMs) {
        return build(records, timestampMs, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
    }

    /**
     * The batch for {@code records}; transactional (KIP-98, base sequence 0 as Kafka's coordinators write it) when
     * {@code producerId} is not -1.
     */
    public static MemoryRecords build(List<CoordinatorRecord> records, long timestampMs, long producerId,
                                      short producerEpoch) {
        int estimate = 64;
        byte[][] keys = new byte[records.size()][];
        byte[][] values = new byte[records.size()][];
        for (int i = 0; i < records.size(); i++) {
            keys[i] = RecordCodec.key(records.get(i));
            values[i] = RecordCodec.value(records.get(i));
            estimate += 24 + keys[i].length + (values[i] == null ? 0 : values[i].length);
        }
        boolean transactional = producerId != RecordBatch.NO_PRODUCER_ID;
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L, timestampMs, producerId, producerEpoch,
                transactional ? 0 : RecordBatch.NO_SEQUENCE, transactional, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < records.size(); i++) {
            builder.append(timestampMs, keys[i], values[i]);
        }
        return builder.build();
    }
}
