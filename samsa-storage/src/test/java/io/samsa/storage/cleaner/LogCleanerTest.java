package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.MockTime;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction of a keyed workload, with an injected clock and the cleaner driven synchronously. */
class LogCleanerTest {
    static final long T0 = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final TopicPartition TP = new TopicPartition("table", 0);
    static final LogConfig COMPACTED = LogConfig.defaults().withCompact(true).withDelete(false).withSegmentBytes(1024)
            .withDeleteRetentionMs(HOUR).withFileDeleteDelayMs(0);

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    LogManager manager;

    PartitionLog open(LogConfig config, CleanerConfig cleaner) throws Exception {
        manager = LogManager.open(List.of(dir), config, time, cleaner);
        return manager.getOrCreate(TP, Uuid.randomUuid(), config);
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    int cleanUntilDone() {
        int passes = 0;
        while (manager.cleaner().cleanOnce()) {
            passes++;
            assertThat(passes).as("cleaning terminates").isLessThan(500);
        }
        return passes;
    }

    @Test
    void compactsToTheLatestValuePerKeyWithOffsetsPreservedAndTheActiveSegmentUntouched() throws Exception {
        // Given 300 records over 20 keys in ~1 KiB segments
        PartitionLog log = open(COMPACTED, CleanerConfig.defaults());
        List<KeyedLog.Entry> appended = KeyedLog.append(log, time, 30, 20, 0);
        LogSegment active = log.segments().getLast();
        int activeSize = active.size();
        long activeBase = active.baseOffset();
        long bytesBefore = log.segments().stream().mapToLong(LogSegment::size).sum();

        // When the cleaner runs
        assertThat(cleanUntilDone()).isEqualTo(1);

        // Then below the active segment exactly the latest record of each key remains, at its original offset
        List<KeyedLog.Entry> after = KeyedLog.read(log);
        List<KeyedLog.Entry> cleanedPart = after.stream().filter(e -> e.offset() < activeBase).toList();
        assertThat(cleanedPart).containsExactlyElementsOf(KeyedLog.latestBelow(appended, activeBase));
        // the active segment is the same, unchanged
        assertThat(log.segments().getLast()).isSameAs(active);
        assertThat(active.size()).isEqualTo(activeSize);
        assertThat(after.stream().filter(e -> e.offset() >= activeBase).toList())
                .containsExactlyElementsOf(appended.stream().filter(e -> e.offset() >= activeBase).toList());
        // a consumer replaying the log ends in the same state; the log end offset did not move
        assertThat(KeyedLog.state(after)).isEqualTo(KeyedLog.state(appended));
        assertThat(log.logEndOffset()).isEqualTo(300);
        assertThat(log.segments().stream().mapToLong(LogSegment::size).sum()).isLessThan(bytesBefore / 2);
        assertThat(manager.cleaner().checkpoint(log)).isEqualTo(activeBase);
        assertThat(Files.readString(dir.resolve("cleaner-offset-checkpoint"))).contains("table 0 " + activeBase);
        // and the cleaned log reads through the normal read path
        assertThat(log.read(0, 1 << 20, log.highWatermark(), false).records().sizeInBytes()).isPositive();
        // nothing to do until more is written
        assertThat(manager.cleaner().cleanOnce()).isFalse();
    }

    @Test
    void tombstonesAreKeptForDeleteRetentionMsAfterTheFirstCleanThenRemoved() throws Exception {
        PartitionLog log = open(COMPACTED, CleanerConfig.defaults());
        List<KeyedLog.Entry> appended = KeyedLog.append(log, time, 30, 20, 0);
        long activeBase = log.segments().getLast().baseOffset();
        cleanUntilDone();
        List<KeyedLog.Entry> first = KeyedLog.read(log).stream().filter(e -> e.offset() < activeBase).toList();
        assertThat(first).anyMatch(e -> e.value() == null);

        // still inside delete.retention.ms: a new pass (if any) keeps them
        time.advance(HOUR - 1);
        cleanUntilDone();
        assertThat(KeyedLog.read(log).stream().filter(e -> e.offset() < activeBase)).anyMatch(e -> e.value() == null);

        // past the horizon the cleaner picks the log again and drops them
        time.advance(1);
        assertThat(cleanUntilDone()).isEqualTo(1);
        List<KeyedLog.Entry> after = KeyedLog.read(log);
        assertThat(after.stream().filter(e -> e.offset() < activeBase)).noneMatch(e -> e.value() == null);
        assertThat(after.stream().filter(e -> e.offset() < activeBase).toList()).containsExactlyElementsOf(
                first.stream().filter(e -> e.value() != null).toList());
        assertThat(KeyedLog.state(after)).isEqualTo(KeyedLog.state(appended));
    }

    @Test
    void aTinyDedupeBufferCleansInSeveralPassesAndEndsCorrect() throws Exception {
        // 480 bytes: 20 slots, 18 keys: one batch of 10 per pass
        CleanerConfig tiny = new CleanerConfig(true, 1, 20 * OffsetMap.BYTES_PER_ENTRY, 4096, 15_000);
        PartitionLog log = open(COMPACTED.withMinCleanableDirtyRatio(0.0), tiny);
        List<KeyedLog.Entry> appended = KeyedLog.append(log, time, 30, 20, 0);
        long activeBase = log.segments().getLast().baseOffset();

        assertThat(cleanUntilDone()).isGreaterThan(10);

        List<KeyedLog.Entry> after = KeyedLog.read(log);
        assertThat(after.stream().filter(e -> e.offset() < activeBase).toList())
                .containsExactlyElementsOf(KeyedLog.latestBelow(appended, activeBase));
        assertThat(KeyedLog.state(after)).isEqualTo(KeyedLog.state(appended));
    }

    @Test
    void minCompactionLagKeepsRecentSegmentsDirty() throws Exception {
        // Given old segments, then (two hours later) recent ones, and min.compaction.lag.ms = 1 hour
        PartitionLog log = open(COMPACTED.withMinCompactionLagMs(HOUR), CleanerConfig.defaults());
        List<KeyedLog.Entry> old = KeyedLog.append(log, time, 15, 20, 0);
        time.advance(2 * HOUR);
        long recentStart = log.logEndOffset();
        log.appendAsLeader(io.samsa.storage.TestBatches.build(org.apache.kafka.common.compress.Compression.NONE,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, time.milliseconds(), -1, (short) -1, -1,
                List.of(new org.apache.kafka.common.record.internal.SimpleRecord(time.milliseconds(),
                        "pad".getBytes(), new byte[900]))), 0); // closes the old segments off
        List<KeyedLog.Entry> recent = KeyedLog.append(log, time, 15, 20, 150);
        long recentSegmentBase = log.segments().stream().filter(s -> s.baseOffset() >= recentStart).findFirst()
                .orElseThrow().baseOffset();

        cleanUntilDone();

        // Then only the old part is compacted; everything from the first recent segment on is untouched
        List<KeyedLog.Entry> after = KeyedLog.read(log);
        assertThat(after.stream().filter(e -> e.offset() < recentSegmentBase).toList())
                .containsExactlyElementsOf(KeyedLog.latestBelow(old, recentSegmentBase));
        assertThat(after.stream().filter(e -> e.offset() > recentStart).toList())
                .containsExactlyElementsOf(recent);

        // and once the lag has passed for them too, they are compacted
        time.advance(HOUR + 1);
        assertThat(cleanUntilDone()).isPositive();
        long activeBase = log.segments().getLast().baseOffset();
        assertThat(KeyedLog.read(log).stream().filter(e -> e.offset() > recentStart && e.offset() < activeBase)
                .map(KeyedLog.Entry::key).distinct().count())
                .isEqualTo(KeyedLog.read(log).stream().filter(e -> e.offset() > recentStart && e.offset() < activeBase)
                        .count());
    }

    @Test
    void logsWithoutCompactAreNeverCleaned() throws Exception {
        PartitionLog log = open(COMPACTED.withCompact(false).withDelete(true), CleanerConfig.defaults());
        KeyedLog.append(log, time, 30, 20, 0);
        int segments = log.numberOfSegments();
        assertThat(manager.cleaner().cleanOnce()).isFalse();
        assertThat(log.numberOfSegments()).isEqualTo(segments);
    }
}
