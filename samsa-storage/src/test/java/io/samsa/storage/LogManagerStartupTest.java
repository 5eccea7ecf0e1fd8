package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.samsa.storage.cleaner.CleanerConfig;
import io.samsa.storage.segment.LogSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Start and stop of a log manager holding many partitions: loading and closing on
 * {@code num.recovery.threads.per.data.dir} threads, recovery after a crash only from each partition's recovery
 * point, and a clean close that leaves every partition flushed and snapshotted so that the next start recovers
 * nothing.
 */
class LogManagerStartupTest {
    static final long T0 = PartitionLogTest.T0;
    static final Uuid TOPIC_ID = Uuid.randomUuid();
    static final int PARTITIONS = 40;
    static final int THREADS = 4;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    final LogConfig config = LogConfig.defaults().withIndexIntervalBytes(100).withSegmentIndexBytes(4096)
            .withSegmentBytes(3_000);
    final ListAppender<ILoggingEvent> loaderLog = new ListAppender<>();

    @BeforeEach
    void captureLoaderLog() {
        loaderLog.start();
        ((Logger) LoggerFactory.getLogger(LogLoader.class)).addAppender(loaderLog);
    }

    @AfterEach
    void releaseLoaderLog() {
        ((Logger) LoggerFactory.getLogger(LogLoader.class)).detachAppender(loaderLog);
    }

    LogManager open() throws Exception {
        return LogManager.open(List.of(dir), config, time, CleanerConfig.defaults(), THREADS);
    }

    static TopicPartition tp(int p) {
        return new TopicPartition("many", p);
    }

    @Test
    void crashWithManyPartitionsRecoversFromRecoveryPointsWithoutCorruptIndexWarnings() throws Exception {
        // Given partitions with flushed segments below their recovery point and an unflushed active segment
        LogManager manager = open();
        Map<TopicPartition, Integer> activeIndexEntries = new HashMap<>();
        long recoveryPoint = 0;
        long activeBase = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = manager.getOrCreate(tp(p), TOPIC_ID, config);
            LogManagerRecoveryTest.appendBatches(log, 6);
            log.flush();
            recoveryPoint = log.recoveryPoint();
            LogManagerRecoveryTest.appendBatches(log, 3 + p % 3);
            log.updateHighWatermark(log.logEndOffset());
            activeIndexEntries.put(tp(p), lastSegment(log).offsetIndex().entries());
            activeBase = lastSegment(log).baseOffset();
        }
        assertThat(recoveryPoint).isEqualTo(60);
        manager.checkpoint();
        manager.crashForTesting();
        // the flushed segments' indexes, dated in the past: a rescan would rewrite them
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Map<Path, FileTime> flushedIndexes = new HashMap<>();
        try (var files = Files.walk(dir)) {
            for (Path index : files.filter(f -> f.toString().endsWith(".index")).toList()) {
                long base = Long.parseLong(index.getFileName().toString().substring(0, 20));
                if (base + 20 <= 60) { // wholly below the recovery point (each segment holds 20 offsets)
                    Files.setLastModifiedTime(index, past);
                    flushedIndexes.put(index, past);
                }
            }
        }
        assertThat(flushedIndexes).hasSize(3 * PARTITIONS);
        assertThat(Files.size(dir.resolve("many-" + (PARTITIONS - 1)).resolve(String.format("%020d.index", activeBase))))
                .as("the active index's zero tail").isEqualTo(4096);

        // When it restarts
        LogManager reopened = open();

        // Then nothing acknowledged is lost, the indexes are right, and the zero tails were no surprise
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = reopened.get(tp(p)).orElseThrow();
            long leo = 60 + 10L * (3 + p % 3);
            assertThat(log.logEndOffset()).isEqualTo(leo);
            assertThat(log.highWatermark()).isEqualTo(leo);
            assertThat(LogManagerRecoveryTest.readAll(log)).hasSize((int) leo).endsWith(leo - 1);
            assertThat(lastSegment(log).offsetIndex().entries()).isEqualTo(activeIndexEntries.get(tp(p)));
            assertThat(TestBatches.offsets(log.read(leo - 5, 1, leo, true).records())).startsWith(leo - 10L);
            assertThat(log.fetchOffsetByTimestamp(T0 + 5).orElseThrow().offset).isEqualTo(5);
        }
        flushedIndexes.forEach((index, mtime) -> assertThat(lastModified(index)).as("%s not rescanned", index)
                .isEqualTo(mtime));
        assertThat(loaderLog.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
        assertThat(loaderLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("Corrupt index"));
        reopened.close();
    }

    @Test
    void cleanCloseFlushesAndSnapshotsEveryPartitionSoTheRestartRecoversNothing() throws Exception {
        // Given partitions with unflushed appends, some by an idempotent producer
        LogManager manager = open();
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = manager.getOrCreate(tp(p), TOPIC_ID, config);
            LogManagerRecoveryTest.appendBatches(log, 4);
            log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 2, 1000L + p, (short) 0, 0), 0);
            log.updateHighWatermark(log.logEndOffset());
            assertThat(log.recoveryPoint()).isLessThan(log.logEndOffset());
        }

        // When it is closed
        manager.close();

        // Then every partition is flushed (recovery point = LEO), snapshotted at its LEO, with trimmed indexes
        assertThat(dir.resolve(".kafka_cleanshutdown")).exists();
        List<String> recoveryPoints = Files.readAllLines(dir.resolve("recovery-point-offset-checkpoint"));
        assertThat(recoveryPoints).hasSize(2 + PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(recoveryPoints).contains("many " + p + " 42");
            Path partition = dir.resolve("many-" + p);
            assertThat(partition.resolve(String.format("%020d.snapshot", 42))).exists();
            try (var files = Files.list(partition)) {
                for (Path index : files.filter(f -> f.toString().endsWith("index")).toList()) {
                    assertThat(Files.size(index)).as("%s trimmed", index).isLessThan(4096);
                }
            }
        }

        // and the restart trusts them: nothing rebuilt, nothing lost, producer state intact
        LogManager reopened = open();
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = reopened.get(tp(p)).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(42);
            assertThat(log.recoveryPoint()).isEqualTo(42);
            assertThat(log.highWatermark()).isEqualTo(42);
            assertThat(LogManagerRecoveryTest.readAll(log)).hasSize(42);
            assertThat(log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 2, 1000L + p, (short) 0, 0), 0)
                    .duplicate()).isTrue();
        }
        assertThat(loaderLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("Rebuilding") || m.contains("Truncated") || m.contains("Corrupt"));
        reopened.close();
    }

    @Test
    void corruptIndexBelowTheRecoveryPointIsStillRebuiltWithAWarning() throws Exception {
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate(tp(0), TOPIC_ID, config);
        LogManagerRecoveryTest.appendBatches(log, 6);
        log.flush();
        manager.checkpoint();
        manager.crashForTesting();
        Files.write(dir.resolve("many-0").resolve(String.format("%020d.index", 0)), new byte[] {1, 2, 3});

        LogManager reopened = open();

        PartitionLog again = reopened.get(tp(0)).orElseThrow();
        assertThat(again.segments().get(0).offsetIndex().entries()).isPositive();
        assertThat(LogManagerRecoveryTest.readAll(again)).hasSize(60);
        assertThat(loaderLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("Corrupt index"));
        reopened.close();
    }

    @Test
    void oneRecoveryThreadWorksAndZeroIsRefused() throws Exception {
        LogManager manager = LogManager.open(List.of(dir), config, time, CleanerConfig.defaults(), 1);
        for (int p = 0; p < 3; p++) {
            LogManagerRecoveryTest.appendBatches(manager.getOrCreate(tp(p), TOPIC_ID, config), 2);
        }
        manager.crashForTesting();

        LogManager reopened = LogManager.open(List.of(dir), config, time, CleanerConfig.defaults(), 1);
        assertThat(reopened.logs()).hasSize(3);
        assertThat(reopened.logs().values()).allSatisfy(l -> assertThat(l.logEndOffset()).isEqualTo(20));
        reopened.close();
        assertThatThrownBy(() -> LogManager.open(List.of(dir), config, time, CleanerConfig.defaults(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num.recovery.threads.per.data.dir");
    }

    private static LogSegment lastSegment(PartitionLog log) {
        List<LogSegment> segments = log.segments();
        return segments.get(segments.size() - 1);
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
