package io.samsa.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Builders of client-style produce batches (base offset 0) for tests. */
public final class TestBatches {
    private TestBatches() {
    }

    public static MemoryRecords batch(Compression compression, long timestamp, int count) {
        return idempotent(compression, timestamp, count, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE);
    }

    public static MemoryRecords batch(long timestamp, int count) {
        return batch(Compression.NONE, timestamp, count);
    }

    public static MemoryRecords idempotent(Compression compression, long timestamp, int count, long producerId,
                                           short epoch, int baseSequence) {
        return build(compression, TimestampType.CREATE_TIME, timestamp, producerId, epoch, baseSequence,
                records(timestamp, count, 16));
    }

    public static MemoryRecords withValueSize(long timestamp, int count, int valueSize) {
        return build(Compression.NONE, TimestampType.CREATE_TIME, timestamp, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, records(timestamp, count, valueSize));
    }

    public static List<SimpleRecord> records(long timestamp, int count, int valueSize) {
        List<SimpleRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueSize];
            value[0] = (byte) i;
            records.add(new SimpleRecord(timestamp + i, ("key-" + i).getBytes(StandardCharsets.UTF_8), value));
        }
        return records;
    }

    public static MemoryRecords build(Compression compression, TimestampType type, long timestamp, long producerId,
                                      short epoch, int baseSequence, List<SimpleRecord> records) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + records.size() * 64
                + records.stream().mapToInt(r -> r.value() == null ? 0 : r.value().remaining()).sum());
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression, type, 0L,
                timestamp, producerId, epoch, baseSequence, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        records.forEach(builder::append);
        return builder.build();
    }

    /** Offsets of every record in {@code records}. */
    public static List<Long> offsets(Records records) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record record : batch) {
                offsets.add(record.offset());
            }
        }
        return offsets;
    }

    /** Number of batches in {@code records}. */
    public static int batchCount(Records records) {
        int n = 0;
        for (RecordBatch ignored : records.batches()) {
            n++;
        }
        return n;
    }
}
