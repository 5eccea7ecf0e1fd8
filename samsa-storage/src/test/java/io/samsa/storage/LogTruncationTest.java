package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.epoch.LeaderEpochCheckpointFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PartitionLog#truncateTo} and {@link PartitionLog#truncateFullyAndStartAt} (a follower diverging from its
 * leader, KIP-101/279), each checked again after a reopen that only reads.
 */
class LogTruncationTest {
    static final TopicPartition TP = new TopicPartition("diverged", 0);
    static final long PID = 501L;
    static final short PEPOCH = 0;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(PartitionLogTest.T0);
    LogManager manager;

    PartitionLog open(LogConfig config) throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.getOrCreate(TP, Uuid.randomUuid(), config);
    }

    PartitionLog reopen(LogConfig config, boolean crash) throws Exception {
        if (crash) {
            manager.crashForTesting();
        } else {
            manager.close();
        }
        manager = LogManager.open(List.of(dir), config, time);
        return manager.get(TP).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    /** Ten-record idempotent batches of producer 501 at 0, 10, ..., epochs 1 for the first half, 2 after. */
    static void fill(PartitionLog log, int batches) {
        for (int i = 0; i < batches; i++) {
            log.appendAsFollower(ReplicaBatches.idempotent(i * 10L, 10, i < batches / 2 ? 1 : 2, PID, PEPOCH,
                    i * 10));
        }
    }

    /** Every offset of the log, read segment after segment as consumers would. */
    static List<Long> allOffsets(PartitionLog log) {
        List<Long> offsets = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            List<Long> read = TestBatches.offsets(log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
            if (read.isEmpty()) {
                break;
            }
            offsets.addAll(read);
            next = read.getLast() + 1;
        }
        return offsets;
    }

    static List<Long> range(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        for (long o = from; o < to; o++) {
            offsets.add(o);
        }
        return offsets;
    }

    /** The state a truncation to {@code 30} (inside batch 30..39 or at its start) must leave, checked twice. */
    void assertTruncatedToThirty(PartitionLog log) {
        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(log.highWatermark()).isEqualTo(30);
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(30);
        assertThat(allOffsets(log)).isEqualTo(range(0, 30));
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(log.endOffsetForEpoch(1)).hasValue(new EpochEndOffset(1, 30));
        for (long offset = 0; offset < 30; offset += 7) {
            assertThat(TestBatches.offsets(log.read(offset, 1, Long.MAX_VALUE, true).records())).contains(offset);
        }
        // producer state: sequence 29 is the last one, 30.. is new again, a retry of 20..29 a duplicate
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 1,
                PID, PEPOCH, 31), 3)).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 10, PID, PEPOCH,
                20), 3).duplicate()).isTrue();
    }

    @Test
    void truncatesInsideABatchInTheMiddleOfASegment() throws Exception {
        // Given one segment of eight batches (epoch 1 for 0..39, epoch 2 for 40..79), all committed
        PartitionLog log = open(LogConfig.defaults().withIndexIntervalBytes(1));
        fill(log, 8);
        log.updateHighWatermark(80);
        log.flush();

        // When it is truncated to 35, inside the batch 30..39
        assertThat(log.truncateTo(35)).isTrue();

        // Then the whole batch goes: LEO 30, HW back to it, epoch 2 gone, producer state as of offset 30
        assertTruncatedToThirty(log);

        // and a reopen reading only finds the same
        assertTruncatedToThirty(reopen(LogConfig.defaults().withIndexIntervalBytes(1), false));
    }

    @Test
    void truncatesAcrossSegmentsAtABatchBoundary() throws Exception {
        // Given segments of two batches each
        MemoryRecords probe = ReplicaBatches.idempotent(0, 10, 1, PID, PEPOCH, 0);
        LogConfig config = LogConfig.defaults().withSegmentBytes(probe.sizeInBytes() * 2 + 10);
        PartitionLog log = open(config);
        fill(log, 8);
        log.updateHighWatermark(80);
        assertThat(log.numberOfSegments()).isEqualTo(4);

        // When truncated to 30, a batch boundary inside the second segment
        assertThat(log.truncateTo(30)).isTrue();

        // Then the later segments left the log (renamed .deleted until file.delete.delay.ms)
        assertThat(log.segments()).extracting(s -> s.baseOffset()).containsExactly(0L, 20L);
        try (Stream<Path> files = Files.list(log.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")))
                    .containsExactlyInAnyOrder("00000000000000000000.log", "00000000000000000020.log");
        }
        try (Stream<Path> files = Files.list(log.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snapshot")))
                    .as("snapshots above the LEO are deleted").allMatch(n -> Long.parseLong(n.substring(0, 20)) <= 30);
        }
        assertTruncatedToThirty(log);
        assertTruncatedToThirty(reopen(config, false));
    }

    @Test
    void truncatingAtOrAboveTheLogEndChangesNothing() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 2);
        assertThat(log.truncateTo(20)).isFalse();
        assertThat(log.truncateTo(100)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(20);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
    }

    @Test
    void truncatingAtTheLogEndDropsAnEpochThatStartsThere() throws Exception {
        // Given epochs 1 and 2 in the log (80 records), then a leadership at epoch 3 that appended nothing, its entry
        // on disk too (written here as another change of the cache could have)
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 8);
        log.assignEpochStartOffset(3, 80);
        log.epochCache().persist();
        LeaderEpochCheckpointFile file = new LeaderEpochCheckpointFile(log.dir());
        assertThat(file.read()).hasValueSatisfying(e -> assertThat(e).contains(new EpochEntry(3, 80)));

        // When a follower truncates at its log end (KIP-101/279: the leader never had epoch 3)
        assertThat(log.truncateTo(80)).as("no data removed").isFalse();

        // Then the data stays, epoch 3 is gone (the next OffsetsForLeaderEpoch asks about epoch 2), and so is its
        // entry in the file
        assertThat(log.logEndOffset()).isEqualTo(80);
        assertThat(allOffsets(log)).isEqualTo(range(0, 80));
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 40));
        assertThat(log.latestEpochInCache()).hasValue(2);
        assertThat(log.endOffsetForEpoch(3)).isEmpty();
        assertThat(log.endOffsetForEpoch(2)).hasValue(new EpochEndOffset(2, 80));

        // and a reopen after a crash (the load does not write the file) reads the same file back
        PartitionLog reopened = reopen(LogConfig.defaults(), true);
        assertThat(new LeaderEpochCheckpointFile(reopened.dir()).read())
                .hasValue(List.of(new EpochEntry(1, 0), new EpochEntry(2, 40)));
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 40));
    }

    @Test
    void truncatingAboveTheLogEndDropsAnEpochThatStartsAtTheLogEnd() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 2);
        log.assignEpochStartOffset(3, 20);
        assertThat(log.truncateTo(100)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(20);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
    }

    @Test
    void appendsAfterATruncationContinueFromTheNewEnd() throws Exception {
        // Given a follower that diverged: it has epoch 2 data at 40..79 that the new leader (epoch 3) does not
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 8);
        log.truncateTo(40);

        // When it replicates the leader's epoch 3 data from 40 and later leads itself in epoch 4
        log.appendAsFollower(ReplicaBatches.idempotent(40, 5, 3, PID, PEPOCH, 40));
        log.assignEpochStartOffset(4, log.logEndOffset());
        LogAppendInfo led = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 2, PID,
                PEPOCH, 45), 4);

        // Then offsets, epochs and sequences continue from the truncation point
        assertThat(led.firstOffset()).isEqualTo(45);
        assertThat(log.logEndOffset()).isEqualTo(47);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 40),
                new EpochEntry(4, 45));
        assertThat(log.endOffsetForEpoch(2)).hasValue(new EpochEndOffset(1, 40));
        assertThat(log.endOffsetForEpoch(3)).hasValue(new EpochEndOffset(3, 45));
        PartitionLog again = reopen(LogConfig.defaults(), false);
        assertThat(allOffsets(again)).isEqualTo(range(0, 47));
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 40),
                new EpochEntry(4, 45));
    }

    @Test
    void truncateFullyAndStartAtEmptiesTheLogAtTheNewOffset() throws Exception {
        // Given a log with data, epochs, producer snapshots
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 4);
        log.updateHighWatermark(40);
        manager.checkpoint();
        log = reopen(LogConfig.defaults(), false); // a clean close writes a producer snapshot

        // When the follower restarts its log at the leader's start offset 1000
        log.truncateFullyAndStartAt(1000);

        // Then everything is at 1000 and empty
        assertThat(log.logStartOffset()).isEqualTo(1000);
        assertThat(log.logEndOffset()).isEqualTo(1000);
        assertThat(log.highWatermark()).isEqualTo(1000);
        assertThat(log.recoveryPoint()).isEqualTo(1000);
        assertThat(log.epochEntries()).isEmpty();
        assertThat(log.latestEpochInCache()).isEmpty();
        assertThat(log.segments()).extracting(s -> s.baseOffset()).containsExactly(1000L);
        try (Stream<Path> files = Files.list(log.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".snapshot"));
        }
        assertThat(Files.readString(log.dir().resolve("leader-epoch-checkpoint"))).isEqualTo("0\n0\n");

        // and it takes the leader's batches from there, the producer being unknown (any sequence accepted)
        log.appendAsFollower(ReplicaBatches.idempotent(1000, 3, 7, PID, PEPOCH, 12));
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(7, 1000));
        PartitionLog again = reopen(LogConfig.defaults(), false);
        assertThat(again.logStartOffset()).isEqualTo(1000);
        assertThat(allOffsets(again)).containsExactly(1000L, 1001L, 1002L);
    }

    @Test
    void aTruncationSurvivesACrashRightAfterIt() throws Exception {
        // Given a log whose checkpoints (recovery point, HW) were written before the truncation
        MemoryRecords probe = ReplicaBatches.idempotent(0, 10, 1, PID, PEPOCH, 0);
        LogConfig config = LogConfig.defaults().withSegmentBytes(probe.sizeInBytes() * 3 + 10);
        PartitionLog log = open(config);
        fill(log, 8);
        log.updateHighWatermark(80);
        log.flush();
        manager.checkpoint();

        // When it is truncated to 35 and the process dies before any clean close or checkpoint
        log.truncateTo(35);
        PartitionLog again = reopen(config, true);

        // Then the reopened log (recovered, read only) holds exactly what the truncation left
        assertThat(again.logEndOffset()).isEqualTo(30);
        assertThat(again.highWatermark()).isLessThanOrEqualTo(30);
        assertThat(allOffsets(again)).isEqualTo(range(0, 30));
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(1, 0));
        again.updateHighWatermark(30);
        assertTruncatedToThirty(again);
    }

    @Test
    void aReaderHoldingTheOldEndGetsNoDataOfTheTruncatedRange() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 4);
        Records before = log.read(30, Integer.MAX_VALUE, Long.MAX_VALUE, false).records();
        assertThat(TestBatches.offsets(before)).containsExactlyElementsOf(range(30, 40));

        log.truncateTo(30);

        assertThat(TestBatches.offsets(log.read(30, Integer.MAX_VALUE, Long.MAX_VALUE, false).records())).isEmpty();
        assertThat(TestBatches.offsets(log.segments().get(0).read(30, Integer.MAX_VALUE, Integer.MAX_VALUE, false)
                == null ? MemoryRecords.EMPTY : log.segments().get(0).read(30, Integer.MAX_VALUE, Integer.MAX_VALUE,
                false))).isEmpty();
    }

    @Test
    void deleteRecordsMovesTheFirstEpochUp() throws Exception {
        // Given epochs 1 at 0 and 2 at 40, committed
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 8);
        log.updateHighWatermark(80);

        // When records below 25 are deleted, then below 50
        log.deleteRecordsBefore(25);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 25), new EpochEntry(2, 40));
        log.deleteRecordsBefore(50);

        // Then epoch 2 covers the new start, epoch 1 is gone, in memory and after a reopen
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(2, 50));
        assertThat(log.endOffsetForEpoch(1)).hasValue(new EpochEndOffset(1, 50));
        assertThat(reopen(LogConfig.defaults(), true).epochEntries()).containsExactly(new EpochEntry(2, 50));
    }

    @Test
    void anEpochCutAtTheLoadNeverOutlivesTheDataAppendedAfterIt() throws Exception {
        // Given epoch 2 at 40 in the log, then a leadership at epoch 3 that wrote nothing (its entry starts at the end)
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 8);
        log.assignEpochStartOffset(3, 80);

        // When the broker restarts (the load cuts epoch 3 without writing the file: Kafka's deferred flush), the log
        // follows a leader whose epoch-2 data goes on at 80, and the broker crashes
        PartitionLog again = reopen(LogConfig.defaults(), true);
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 40));
        again.appendAsFollower(ReplicaBatches.idempotent(80, 10, 2, PID, PEPOCH, 80));
        PartitionLog afterCrash = reopen(LogConfig.defaults(), true);

        // Then epoch 3 is not resurrected at 80, inside epoch 2's data: the append rewrote the file first
        assertThat(afterCrash.logEndOffset()).isEqualTo(90);
        assertThat(afterCrash.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 40));
        assertThat(afterCrash.endOffsetForEpoch(2)).hasValue(new EpochEndOffset(2, 90));
    }

    @Test
    void aNewLeaderEpochIsWrittenByItsFirstAppendAndNotByBecomingLeader() throws Exception {
        // Given epochs 1 and 2 in the log (80 records), and the broker becoming leader at epoch 3 and stopping cleanly
        PartitionLog log = open(LogConfig.defaults());
        fill(log, 8);
        Path file = dir.resolve(TP.toString()).resolve("leader-epoch-checkpoint");
        String before = Files.readString(file);
        log.assignEpochStartOffset(3, 80);
        assertThat(log.endOffsetForEpoch(2)).as("served from memory at once").hasValue(new EpochEndOffset(2, 80));
        PartitionLog reopened = reopen(LogConfig.defaults(), false);

        // Then neither becoming leader nor the clean close wrote the file (epoch 3 describes no data; a load cuts it)
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 40));

        // When it leads at epoch 4, appends three records and crashes
        reopened.assignEpochStartOffset(4, 80);
        reopened.appendAsLeader(TestBatches.batch(PartitionLogTest.T0, 3), 4);
        PartitionLog afterCrash = reopen(LogConfig.defaults(), true);

        // Then the epoch of that data was on disk before it: a follower asking for epoch 2 truncates to 80
        assertThat(afterCrash.logEndOffset()).isEqualTo(83);
        assertThat(afterCrash.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 40),
                new EpochEntry(4, 80));
        assertThat(afterCrash.endOffsetForEpoch(2)).hasValue(new EpochEndOffset(2, 80));
    }
}
