package io.samsa.it.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka 4.3.1's {@code kafka-dump-log} ({@code org.apache.kafka.tools.DumpLogSegments}) must read segments,
 * indexes (also {@code .txnindex}), transaction markers and producer snapshots written by Samsa's storage.
 */
class DumpLogCompatibilityIT {
    private static final TopicPartition TP = new TopicPartition("dump-compat", 0);
    private static final Pattern BATCH = Pattern.compile("baseOffset: (\\d+) lastOffset: (\\d+) count: (\\d+)");
    private static final Pattern RECORD = Pattern.compile("\\| offset: (\\d+) .* key: (\\S+) ");

    @TempDir
    Path dir;

    @Test
    void kafkaDumpLogReadsSamsaSegments() throws Exception {
        // Given batches in every codec, idempotent and not, in several segments
        LogConfig config = LogConfig.defaults().withSegmentBytes(2500).withIndexIntervalBytes(200);
        List<String> expectedKeys = new ArrayList<>();
        try (LogManager manager = LogManager.open(List.of(dir), config, Time.SYSTEM)) {
            PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
            String[] codecs = {"none", "gzip", "snappy", "lz4", "zstd"};
            int sequence = 0;
            for (int round = 0; round < 12; round++) {
                String codec = codecs[round % codecs.length];
                boolean idempotent = round % 2 == 0;
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    keys.add("k" + round + "_" + i);
                }
                MemoryRecords records = batch(Compression.of(codec).build(), keys, idempotent ? 4242L : -1L,
                        idempotent ? sequence : -1);
                if (idempotent) {
                    sequence += keys.size();
                }
                log.appendAsLeader(records, 3);
                expectedKeys.addAll(keys);
            }
            log.updateHighWatermark(log.logEndOffset());
            assertThat(log.numberOfSegments()).isGreaterThan(1);
        }
        Path partition = dir.resolve("dump-compat-0");
        List<Path> logs;
        try (var files = Files.list(partition)) {
            logs = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }

        // When kafka-dump-log prints every segment
        List<String> keys = new ArrayList<>();
        long nextOffset = 0;
        int batches = 0;
        for (Path log : logs) {
            String out = dumpLog("--files", log.toString(), "--print-data-log", "--deep-iteration");
            assertThat(out).doesNotContain("isvalid: false").doesNotContain("Exception");
            Matcher m = BATCH.matcher(out);
            while (m.find()) {
                assertThat(Long.parseLong(m.group(1))).isEqualTo(nextOffset);
                nextOffset = Long.parseLong(m.group(2)) + 1;
                assertThat(Integer.parseInt(m.group(3))).isEqualTo(20);
                batches++;
            }
            Matcher r = RECORD.matcher(out);
            while (r.find()) {
                assertThat(Long.parseLong(r.group(1))).isEqualTo(keys.size());
                keys.add(r.group(2));
            }
            // Then the indexes verify against the log
            String base = log.toString().substring(0, log.toString().length() - ".log".length());
            String index = dumpLog("--files", base + ".index", "--verify-index-only");
            assertThat(index).doesNotContainIgnoringCase("mismatch").doesNotContain("Exception");
            String timeIndex = dumpLog("--files", base + ".timeindex", "--verify-index-only");
            assertThat(timeIndex).doesNotContainIgnoringCase("mismatch").doesNotContain("Exception")
                    .doesNotContain("Found timestamp mismatch");
        }
        assertThat(batches).isEqualTo(12);
        assertThat(nextOffset).isEqualTo(240);
        assertThat(keys).isEqualTo(expectedKeys);

        // And the producer snapshot written on close reads back
        Path snapshot = partition.resolve(String.format("%020d.snapshot", 240));
        String snap = dumpLog("--files", snapshot.toString());
        assertThat(snap).contains("producerId: 4242").contains("lastSequence: " + (6 * 20 - 1));
    }

    @Test
    void kafkaDumpLogReadsSamsaTransactionIndexMarkersAndTransactionalSnapshots() throws Exception {
        // Given an aborted transaction of producer 77 (batch at 0..1, ABORT marker at 2) and an open one of 88 at 3
        LogConfig config = LogConfig.defaults();
        try (LogManager manager = LogManager.open(List.of(dir), config, Time.SYSTEM)) {
            PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
            log.appendAsLeader(transactional(77L, List.of("t0", "t1")), 3);
            log.appendAsLeader(MemoryRecords.withEndTransactionMarker(System.currentTimeMillis(), 77L, (short) 0,
                    new EndTransactionMarker(ControlRecordType.ABORT, 9)), 3, AppendOrigin.COORDINATOR);
            log.appendAsLeader(transactional(88L, List.of("o0")), 3);
            log.updateHighWatermark(log.logEndOffset());
        }
        Path partition = dir.resolve("dump-compat-0");

        // When kafka-dump-log prints the .txnindex, the segment and the snapshot written on close
        String txnIndex = dumpLog("--files", partition.resolve(String.format("%020d.txnindex", 0)).toString());
        String segment = dumpLog("--files", partition.resolve(String.format("%020d.log", 0)).toString(),
                "--deep-iteration");
        String snapshot = dumpLog("--files", partition.resolve(String.format("%020d.snapshot", 4)).toString());

        // Then it reads the aborted transaction, the marker and the open transaction
        assertThat(txnIndex).doesNotContain("Exception")
                .contains("version: 0 producerId: 77 firstOffset: 0 lastOffset: 2 lastStableOffset: 3");
        assertThat(segment).doesNotContain("Exception").doesNotContain("isvalid: false")
                .contains("endTxnMarker: ABORT coordinatorEpoch: 9").contains("isTransactional: true");
        assertThat(snapshot).doesNotContain("Exception").contains("producerId: 88")
                .containsPattern("producerId: 88 .*currentTxnFirstOffset: OptionalLong\\[3\\]")
                .containsPattern("producerId: 77 .*coordinatorEpoch: 9");
    }

    private static MemoryRecords transactional(long producerId, List<String> keys) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * 1024);
        long now = System.currentTimeMillis();
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, 0L, now, producerId, (short) 0, 0, true,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (String key : keys) {
            builder.append(now, key.getBytes(StandardCharsets.UTF_8),
                    ("value-of-" + key).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static MemoryRecords batch(Compression compression, List<String> keys, long producerId, int sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long now = System.currentTimeMillis();
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, now, producerId, producerId < 0 ? (short) -1 : (short) 0, sequence,
                false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (String key : keys) {
            builder.append(now, key.getBytes(StandardCharsets.UTF_8), ("value-of-" + key).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** Runs DumpLogSegments in a child JVM (it may call Exit) and returns its stdout and stderr. */
    private String dumpLog(String... args) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp, "org.apache.kafka.tools.DumpLogSegments"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "dump", ".txt");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
