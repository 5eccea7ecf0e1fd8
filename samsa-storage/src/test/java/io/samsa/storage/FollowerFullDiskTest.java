package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.files.FullDiskFiles;
import io.samsa.storage.files.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower append that hits a full disk ({@link FullDiskFiles}) is undone like a leader append (ADR 0006): the
 * segment, the LEO, the producer state and the leader epoch cache are as before it, also after a crash and restart.
 */
class FollowerFullDiskTest {
    static final TopicPartition TP = new TopicPartition("follower-full", 0);
    static final long PID = 9L;
    static final short PEPOCH = 0;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(PartitionLogTest.T0);
    final LogConfig config = LogConfig.defaults().withIndexIntervalBytes(512).withSegmentIndexBytes(4096);
    final FullDiskFiles disk = new FullDiskFiles();
    AutoCloseable installed;
    LogManager manager;

    @BeforeEach
    void install() {
        installed = StorageFiles.install(dir, disk);
    }

    @AfterEach
    void uninstall() throws Exception {
        disk.freeSpace();
        if (manager != null) {
            manager.close();
        }
        installed.close();
    }

    static MemoryRecords epochTwo() {
        return ReplicaBatches.concat(List.of(
                ReplicaBatches.withValueSize(10, 10, 2, PID, PEPOCH, 10, 1000),
                ReplicaBatches.withValueSize(20, 10, 2, PID, PEPOCH, 20, 1000)));
    }

    @Test
    void aFailedFollowerAppendLeavesLogEpochsAndProducerStateAsTheyWere() throws Exception {
        // Given a follower with producer 9's sequences 0..9 in epoch 1
        manager = LogManager.open(List.of(dir), config, time);
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
        log.appendAsFollower(ReplicaBatches.withValueSize(0, 10, 1, PID, PEPOCH, 0, 1000));
        long sizeBefore = Files.size(log.segments().getLast().file().toPath());

        // When the disk fills in the middle of the next fetch's epoch 2 batches
        disk.fillAfter(epochTwo().sizeInBytes() / 2);
        assertThatThrownBy(() -> log.appendAsFollower(epochTwo())).isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining(FullDiskFiles.ENOSPC);

        // Then nothing of it is in the log, the cache or the producer state
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(Files.size(log.segments().getLast().file().toPath())).isEqualTo(sizeBefore);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(log.endOffsetForEpoch(1)).hasValue(new EpochEndOffset(1, 10));
        assertThat(log.producerState().entry(PID).orElseThrow().lastSeq()).isEqualTo(9);

        // and after a crash and restart with space back, the same; the fetch is then appended whole
        disk.freeSpace();
        manager.crashForTesting();
        manager = LogManager.open(List.of(dir), config, time);
        PartitionLog again = manager.get(TP).orElseThrow();
        assertThat(again.logEndOffset()).isEqualTo(10);
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(again.appendAsFollower(epochTwo()).lastOffset()).isEqualTo(29);
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
        assertThat(again.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 10, PID,
                PEPOCH, 20), 3).duplicate()).isTrue();
        assertThat(again.latestEpoch()).isNotEqualTo(RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }

    @Test
    void aFollowerAppendSurvivesACrashWithItsEpochsAndProducerState() throws Exception {
        // Given a follower that appended two epochs and then died without a clean close
        manager = LogManager.open(List.of(dir), config, time);
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
        log.appendAsFollower(ReplicaBatches.withValueSize(0, 10, 1, PID, PEPOCH, 0, 1000));
        log.appendAsFollower(epochTwo());
        manager.crashForTesting();

        // When it restarts
        manager = LogManager.open(List.of(dir), config, time);
        PartitionLog again = manager.get(TP).orElseThrow();

        // Then the log, the epoch cache and the producer state are back
        assertThat(again.logEndOffset()).isEqualTo(30);
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
        assertThat(again.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 10, PID,
                PEPOCH, 20), 3).duplicate()).isTrue();
        assertThat(again.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 1, PID,
                PEPOCH, 30), 3).firstOffset()).isEqualTo(30);
    }

    /**
     * A truncation whose checkpoint write fails (the disk filled after the cut): no append goes above it, leader or
     * follower, until the lowered recovery point is on disk; then the next append writes it and goes through.
     */
    @Test
    void appendsAboveATruncationWaitForItsCheckpointWhenTheDiskIsFull() throws Exception {
        // Given a follower that held producer 9's records 0..29 and cut them to 10
        manager = LogManager.open(List.of(dir), config, time);
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
        log.appendAsFollower(ReplicaBatches.withValueSize(0, 10, 1, PID, PEPOCH, 0, 1000));
        log.appendAsFollower(ReplicaBatches.withValueSize(10, 20, 1, PID, PEPOCH, 10, 1000));
        log.flush();
        manager.checkpoint();
        disk.failForcesWhenFull(false);
        assertThat(log.truncateTo(10)).isTrue();

        // When the disk is full before the truncation's checkpoint is written
        disk.fillAfter(0);
        assertThat(log.checkpointTruncation()).as("the end of the fetcher's round").isFalse();

        // Then appends are refused, as a follower and as a leader, and the log stays at the cut
        assertThatThrownBy(() -> log.appendAsFollower(epochTwo())).isInstanceOf(KafkaStorageException.class)
                .hasMessageContaining("checkpoint of a truncation");
        assertThatThrownBy(() -> log.appendAsLeader(ReplicaBatches.withValueSize(0, 1, 2, PID, PEPOCH, 10, 10), 2))
                .isInstanceOf(KafkaStorageException.class);
        assertThat(log.logEndOffset()).isEqualTo(10);
        Path recoveryPoints = dir.resolve(OffsetCheckpointFile.RECOVERY_POINT);
        assertThat(new OffsetCheckpointFile(recoveryPoints).read()).containsEntry(TP, 30L);

        // When space is back, the next append writes the checkpoint first, then goes through
        disk.freeSpace();
        log.appendAsFollower(epochTwo());
        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(new OffsetCheckpointFile(recoveryPoints).read().get(TP)).isLessThanOrEqualTo(10L);
    }
}
