package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.segment.LogSegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by time and size, DeleteRecords, and delayed file deletion, with an injected clock. */
class RetentionTest {
    static final long T0 = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final TopicPartition TP = new TopicPartition("events", 0);

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    LogManager manager;

    PartitionLog open(LogConfig config) throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.getOrCreate(TP, Uuid.randomUuid(), config);
    }

    PartitionLog reopen(LogConfig config) throws Exception {
        manager.close();
        manager = LogManager.open(List.of(dir), config, time);
        return manager.get(TP).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    /** Appends {@code segments} batches of 10 records, one segment each (segment.bytes fits one batch). */
    static void appendSegments(PartitionLog log, MockTime time, int segments) {
        for (int i = 0; i < segments; i++) {
            log.appendAsLeader(TestBatches.withValueSize(time.milliseconds(), 10, 100), 0);
            time.advance(HOUR);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    static LogConfig oneBatchPerSegment() {
        int batch = TestBatches.withValueSize(T0, 10, 100).sizeInBytes();
        return LogConfig.defaults().withSegmentBytes(batch + 10).withFileDeleteDelayMs(60_000);
    }

    @Test
    void retentionMsDeletesSegmentsWhoseNewestRecordIsTooOldButNeverTheActiveOne() throws Exception {
        // Given five segments written an hour apart, the last one active, and retention.ms = 2.5 hours
        PartitionLog log = open(oneBatchPerSegment().withRetentionMs(150 * 60_000L));
        appendSegments(log, time, 5);
        assertThat(log.numberOfSegments()).isEqualTo(5);
        time.advance(-HOUR); // now = T0 + 4h: segments 0,1 (max ts T0+9ms, T0+1h+9ms) are older than 2.5h

        // When retention runs
        int deleted = manager.deleteOldSegments();

        // Then the two oldest go, the log start offset follows, and reads below it are out of range
        assertThat(deleted).isEqualTo(2);
        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(20L, 30L, 40L);
        assertThat(log.logStartOffset()).isEqualTo(20);
        assertThatThrownBy(() -> log.read(5, 1 << 20, log.highWatermark(), false))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.fetchOffsetByTimestamp(-2).orElseThrow().offset).isEqualTo(20);
        assertThat(dir.resolve("events-0/00000000000000000000.log.deleted")).exists();
        assertThat(dir.resolve("events-0/00000000000000000000.index.deleted")).exists();
        assertThat(dir.resolve("events-0/00000000000000000000.log")).doesNotExist();

        // and the start offset is checkpointed and restored
        assertThat(Files.readString(dir.resolve("log-start-offset-checkpoint"))).contains("events 0 20");
        PartitionLog reopened = reopen(oneBatchPerSegment());
        assertThat(reopened.logStartOffset()).isEqualTo(20);
        assertThat(reopened.logEndOffset()).isEqualTo(50);
        assertThat(deletedFiles()).isEmpty();
    }

    @Test
    void whenEverySegmentExpiresANewEmptyActiveSegmentIsRolledFirst() throws Exception {
        PartitionLog log = open(oneBatchPerSegment().withRetentionMs(HOUR));
        appendSegments(log, time, 3);
        LogSegment active = log.segments().getLast();
        time.advance(10 * HOUR);

        manager.deleteOldSegments();

        // as Kafka: the log keeps its end offset in a fresh active segment; nothing readable remains
        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(30L);
        assertThat(log.segments().getFirst()).isNotSameAs(active);
        assertThat(log.logStartOffset()).isEqualTo(30);
        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(log.appendAsLeader(TestBatches.batch(time.milliseconds(), 1), 0).firstOffset()).isEqualTo(30);
    }

    @Test
    void anEmptyActiveSegmentOrDataAboveTheHighWatermarkIsNeverDeleted() throws Exception {
        PartitionLog log = open(oneBatchPerSegment().withRetentionMs(HOUR));
        appendSegments(log, time, 2);
        log.appendAsLeader(TestBatches.withValueSize(time.milliseconds(), 10, 100), 0); // above the HW
        time.advance(10 * HOUR);

        manager.deleteOldSegments();

        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(20L);
        assertThat(log.logStartOffset()).isEqualTo(20);
    }

    @Test
    void retentionBytesDeletesOldestSegmentsWhileTheRestStaysAtOrAboveTheLimit() throws Exception {
        LogConfig config = oneBatchPerSegment();
        PartitionLog log = open(config);
        appendSegments(log, time, 5);
        long segmentSize = log.segments().getFirst().size();
        manager.updateConfig(TP, config.withRetentionBytes(3 * segmentSize));

        manager.deleteOldSegments();

        // 5 segments > 3: two go (5-1 >= 3, 4-1 >= 3), the third would leave 2 < 3
        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(20L, 30L, 40L);
        assertThat(log.logStartOffset()).isEqualTo(20);
    }

    @Test
    void compactOnlyLogsIgnoreRetention() throws Exception {
        PartitionLog log = open(oneBatchPerSegment().withRetentionMs(1).withRetentionBytes(1).withCompact(true)
                .withDelete(false));
        for (int i = 0; i < 3; i++) {
            log.appendAsLeader(TestBatches.withValueSize(time.milliseconds(), 10, 100), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        time.advance(10 * HOUR);
        assertThat(manager.deleteOldSegments()).isZero();
        assertThat(log.numberOfSegments()).isEqualTo(3);
        assertThatThrownBy(() -> log.deleteRecordsBefore(5)).isInstanceOf(PolicyViolationException.class);
    }

    @Test
    void deletedSegmentsStayReadableUntilFileDeleteDelayPasses() throws Exception {
        // Given a reader holding a slice of the oldest segment (as a fetch being sent with sendfile would)
        PartitionLog log = open(oneBatchPerSegment().withRetentionMs(HOUR).withFileDeleteDelayMs(60_000));
        appendSegments(log, time, 3);
        Records slice = log.read(0, 1 << 20, log.highWatermark(), false).records();
        assertThat(slice).isInstanceOf(FileRecords.class);

        // When retention deletes that segment
        assertThat(manager.deleteOldSegments()).isEqualTo(2);

        // Then the slice still reads (the channel is open, the file renamed .deleted)
        assertThat(TestBatches.offsets(slice)).hasSize(10).startsWith(0L);
        assertThat(readAll((FileRecords) slice)).isEqualTo(slice.sizeInBytes());
        assertThat(deletedFiles()).hasSize(6);
        time.advance(59_999);
        assertThat(manager.deleteExpiredFiles()).isZero();
        assertThat(TestBatches.offsets(slice)).hasSize(10);

        // and once file.delete.delay.ms has passed the files are gone
        time.advance(1);
        assertThat(manager.deleteExpiredFiles()).isEqualTo(2);
        assertThat(deletedFiles()).isEmpty();
        assertThat(manager.pendingDeletions()).isZero();
    }

    @Test
    void leftoverDeletedFilesAreRemovedOnRestart() throws Exception {
        PartitionLog log = open(oneBatchPerSegment().withRetentionMs(HOUR));
        appendSegments(log, time, 3);
        manager.deleteOldSegments();
        manager.crashForTesting();
        assertThat(deletedFiles()).isNotEmpty();

        manager = LogManager.open(List.of(dir), oneBatchPerSegment(), time);

        assertThat(deletedFiles()).isEmpty();
        assertThat(manager.get(TP).orElseThrow().logStartOffset()).isEqualTo(20);
    }

    @Test
    void deleteRecordsMovesTheLogStartOffsetAndDeletesWholeSegmentsBelowIt() throws Exception {
        PartitionLog log = open(oneBatchPerSegment());
        appendSegments(log, time, 4);
        log.appendAsLeader(TestBatches.withValueSize(time.milliseconds(), 10, 100), 0); // 40..49 above the HW

        // above the high watermark: OFFSET_OUT_OF_RANGE, nothing changes
        assertThatThrownBy(() -> manager.deleteRecords(TP, 41)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> manager.deleteRecords(TP, -2)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.numberOfSegments()).isEqualTo(5);

        // below it: the start moves, segments wholly below go, the one holding the new start stays
        assertThat(manager.deleteRecords(TP, 25)).isEqualTo(25);
        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(20L, 30L, 40L);
        assertThatThrownBy(() -> log.read(24, 1 << 20, log.highWatermark(), false))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(TestBatches.offsets(log.read(25, 1 << 20, log.highWatermark(), false).records())).contains(25L);
        assertThat(log.fetchOffsetByTimestamp(-2).orElseThrow().offset).isEqualTo(25);
        assertThat(manager.deleteRecords(TP, 10)).as("never moves back").isEqualTo(25);

        // -1 means the high watermark
        assertThat(manager.deleteRecords(TP, -1)).isEqualTo(40);
        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(40L);

        // the start offset survives a restart
        assertThat(reopen(oneBatchPerSegment()).logStartOffset()).isEqualTo(40);
    }

    private static int readAll(FileRecords records) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.readInto(buffer, 0);
        return MemoryRecords.readableRecords(buffer).sizeInBytes();
    }

    private List<Path> deletedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("events-0"))) {
            return files.filter(p -> p.toString().endsWith(".deleted")).toList();
        }
    }
}
