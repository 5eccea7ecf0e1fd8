package io.samsa.storage;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Batches as a leader's log holds them (offsets and partition leader epoch assigned), for follower tests. */
final class ReplicaBatches {
    private ReplicaBatches() {
    }

    /** One batch of {@code count} records at {@code baseOffset}, written in {@code leaderEpoch}. */
    static MemoryRecords batch(long baseOffset, int count, int leaderEpoch) {
        return idempotent(baseOffset, count, leaderEpoch, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE);
    }

    static MemoryRecords idempotent(long baseOffset, int count, int leaderEpoch, long producerId, short epoch,
                                    int baseSequence) {
        return withValueSize(baseOffset, count, leaderEpoch, producerId, epoch, baseSequence, 16);
    }

    static MemoryRecords withValueSize(long baseOffset, int count, int leaderEpoch, long producerId, short epoch,
                                       int baseSequence, int valueSize) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + count * (64 + valueSize));
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, baseOffset, PartitionLogTest.T0, producerId, epoch, baseSequence, false,
                leaderEpoch);
        TestBatches.records(PartitionLogTest.T0 + baseOffset, count, valueSize).forEach(builder::append);
        return builder.build();
    }

    /** The batches of {@code parts} concatenated into one fetch response's records. */
    static MemoryRecords concat(List<MemoryRecords> parts) {
        int size = parts.stream().mapToInt(MemoryRecords::sizeInBytes).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        parts.forEach(p -> buffer.put(p.buffer().duplicate()));
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }
}
