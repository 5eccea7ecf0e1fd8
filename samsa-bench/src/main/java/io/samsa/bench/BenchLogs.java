package io.samsa.bench;

import io.samsa.storage.LogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Shared fixtures: client-style batches and temp directories. */
final class BenchLogs {
    static final int BATCH_BYTES = 16 * 1024;
    static final int RECORD_VALUE_BYTES = 1000;

    private BenchLogs() {
    }

    /** Benchmark log settings: Kafka's defaults with 128 MiB segments. */
    static LogConfig config() {
        return LogConfig.defaults().withSegmentBytes(128 * 1024 * 1024);
    }

    /** A produce-style batch (base offset 0) of ~16 KiB uncompressed: 1 KiB-ish records with 12-byte keys. */
    static MemoryRecords template(Compression compression, long producerId, int baseSequence) {
        return template(compression, producerId, baseSequence, System.currentTimeMillis());
    }

    /** As {@link #template(Compression, long, int)} with every record stamped {@code now} (ms). */
    static MemoryRecords template(Compression compression, long producerId, int baseSequence, long now) {
        Random random = new Random(42);
        ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES + 1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, now, producerId, producerId < 0 ? (short) -1 : (short) 0, baseSequence,
                false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        byte[] value = new byte[RECORD_VALUE_BYTES];
        for (int i = 0; i < BATCH_BYTES / (RECORD_VALUE_BYTES + 24); i++) {
            for (int j = 0; j < value.length; j++) {
                value[j] = (byte) ('a' + random.nextInt(8)); // compressible, like text
            }
            builder.append(now, String.format("key-%08d", i).getBytes(), value);
        }
        return builder.build();
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
