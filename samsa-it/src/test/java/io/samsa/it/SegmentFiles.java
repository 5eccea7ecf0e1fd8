package io.samsa.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Reads a partition's segment files with Apache Kafka's own record classes (what kafka-dump-log would see). */
final class SegmentFiles {
    private SegmentFiles() {
    }

    /** Compression codec names of every batch in {@code logDir/<topic>-<partition>/*.log}, in offset order. */
    static List<String> batchCompressions(Path logDir, String topic, int partition) throws IOException {
        List<String> codecs = new ArrayList<>();
        for (Path segment : segments(logDir, topic, partition)) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (RecordBatch batch : records.batches()) {
                    codecs.add(batch.compressionType().name);
                }
            }
        }
        return codecs;
    }

    /**
     * The values of every record in {@code logDir/<topic>-<partition>/*.log}, in offset order, as UTF-8 strings (what
     * a replica holds on disk, whatever its high watermark).
     */
    static List<String> values(Path logDir, String topic, int partition) throws IOException {
        List<String> values = new ArrayList<>();
        for (Path segment : segments(logDir, topic, partition)) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (RecordBatch batch : records.batches()) {
                    for (org.apache.kafka.common.record.internal.Record record : batch) {
                        values.add(record.hasValue() ? java.nio.charset.StandardCharsets.UTF_8.decode(record.value())
                                .toString() : null);
                    }
                }
            }
        }
        return values;
    }

    /** The bytes of every {@code .log} segment of the partition, concatenated in offset order. */
    static byte[] logBytes(Path logDir, String topic, int partition) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (Path segment : segments(logDir, topic, partition)) {
            out.write(Files.readAllBytes(segment));
        }
        return out.toByteArray();
    }

    private static List<Path> segments(Path logDir, String topic, int partition) throws IOException {
        try (Stream<Path> files = Files.list(logDir.resolve(topic + "-" + partition))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }
}
