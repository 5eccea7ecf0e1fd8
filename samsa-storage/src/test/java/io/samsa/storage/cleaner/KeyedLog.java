package io.samsa.storage.cleaner;

import io.samsa.storage.MockTime;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.TestBatches;
import io.samsa.storage.segment.LogSegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** A keyed workload for cleaner tests: overwrites of a small key space, with some tombstones. */
final class KeyedLog {
    /** One record as read back. */
    record Entry(long offset, String key, String value) {
    }

    private KeyedLog() {
    }

    /**
     * Appends {@code batches} batches of 10 records with keys {@code k<i % keys>}; every 7th record is a tombstone.
     * Returns every record appended, in offset order.
     */
    static List<Entry> append(PartitionLog log, MockTime time, int batches, int keys, int firstIndex) {
        List<Entry> appended = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<SimpleRecord> records = new ArrayList<>();
            List<String[]> strings = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                int i = firstIndex + b * 10 + j;
                String key = "k" + (i % keys);
                String value = i % 7 == 3 ? null : "v" + i;
                records.add(new SimpleRecord(time.milliseconds(), key.getBytes(StandardCharsets.UTF_8),
                        value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
                strings.add(new String[] {key, value});
            }
            long base = log.appendAsLeader(TestBatches.build(b % 3 == 2 ? Compression.lz4().build() : Compression.NONE,
                    TimestampType.CREATE_TIME, time.milliseconds(), RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, records), 0).firstOffset();
            for (int j = 0; j < strings.size(); j++) {
                appended.add(new Entry(base + j, strings.get(j)[0], strings.get(j)[1]));
            }
        }
        log.updateHighWatermark(log.logEndOffset());
        return appended;
    }

    /** Every record in the log's segments, in offset order. */
    static List<Entry> read(PartitionLog log) {
        List<Entry> entries = new ArrayList<>();
        for (LogSegment segment : log.segments()) {
            entries.addAll(read(segment));
        }
        return entries;
    }

    static List<Entry> read(LogSegment segment) {
        List<Entry> entries = new ArrayList<>();
        for (RecordBatch batch : segment.log().batches()) {
            for (Record record : batch) {
                entries.add(new Entry(record.offset(), string(record.key()),
                        record.hasValue() ? string(record.value()) : null));
            }
        }
        return entries;
    }

    /** What a consumer replaying {@code entries} ends with: key to value, tombstoned keys absent. */
    static Map<String, String> state(List<Entry> entries) {
        Map<String, String> state = new HashMap<>();
        for (Entry e : entries) {
            if (e.value() == null) {
                state.remove(e.key());
            } else {
                state.put(e.key(), e.value());
            }
        }
        return state;
    }

    /** The last entry of each key among {@code entries} with offset below {@code end}, in offset order. */
    static List<Entry> latestBelow(List<Entry> entries, long end) {
        Map<String, Entry> latest = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.offset() < end) {
                latest.remove(e.key());
                latest.put(e.key(), e);
            }
        }
        return latest.values().stream().sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList();
    }

    private static String string(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return utf8(bytes);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
