package io.samsa.coordinator.runtime;

import io.samsa.storage.AppendOrigin;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * {@link CoordinatorWriter} on a {@link CoordinatorPartitionWriter}: one uncompressed magic-2 batch per call, every
 * record keyed, create-time timestamps; no producer id, except the transactional batches of TxnOffsetCommit (written
 * with {@link AppendOrigin#COORDINATOR}, base sequence 0 as Kafka's coordinators write them). Blocks the calling
 * shard until the in-sync replicas have the batch, at most {@code timeoutMs}, as Kafka's coordinators answer only
 * then. Thread-safe.
 *
 * @param <R> the record type
 */
public final class LogWriter<R> implements CoordinatorWriter<R> {
    private final String topic;
    private final CoordinatorPartitionWriter partitions;
    private final RecordSerde<R> serde;
    private final long timeoutMs;
    private final LongSupplier clock;

    /**
     * @param timeoutMs how long an append waits for the in-sync replicas (ms): {@code offsets.commit.timeout.ms}
     *                  for the group coordinator, {@code request.timeout.ms} for the transaction coordinator
     */
    public LogWriter(String topic, CoordinatorPartitionWriter partitions, RecordSerde<R> serde, long timeoutMs,
                     LongSupplier clock) {
        this.topic = topic;
        this.partitions = partitions;
        this.serde = serde;
        this.timeoutMs = timeoutMs;
        this.clock = clock;
    }

    @Override
    public void append(int partition, List<R> records) {
        await(partitions.append(new TopicPartition(topic, partition), build(serde, records, clock.getAsLong()),
                AppendOrigin.CLIENT, timeoutMs));
    }

    /** Appends through the leader's transactional producer state ({@link AppendOrigin#COORDINATOR}). */
    @Override
    public void appendTransactional(int partition, List<R> records, long producerId, short producerEpoch) {
        await(partitions.append(new TopicPartition(topic, partition),
                build(serde, records, clock.getAsLong(), producerId, producerEpoch), AppendOrigin.COORDINATOR,
                timeoutMs));
    }

    @Override
    public void appendMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch,
                             TransactionResult result, long timeoutMs) {
        await(partitions.appendMarker(new TopicPartition(topic, partition), producerId, producerEpoch,
                coordinatorEpoch, result, timeoutMs));
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
    public static <R> MemoryRecords build(RecordSerde<R> serde, List<R> records, long timestampMs) {
        return build(serde, records, timestampMs, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
    }

    /**
     * The batch for {@code records}; transactional (KIP-98, base sequence 0 as Kafka's coordinators write it) when
     * {@code producerId} is not -1.
     */
    public static <R> MemoryRecords build(RecordSerde<R> serde, List<R> records, long timestampMs, long producerId,
                                          short producerEpoch) {
        int estimate = 64;
        byte[][] keys = new byte[records.size()][];
        byte[][] values = new byte[records.size()][];
        for (int i = 0; i < records.size(); i++) {
            keys[i] = serde.key(records.get(i));
            values[i] = serde.value(records.get(i));
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
