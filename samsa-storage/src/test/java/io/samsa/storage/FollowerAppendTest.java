package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PartitionLog#appendAsFollower}: a leader's batches copied as they are, on real files. */
class FollowerAppendTest {
    static final TopicPartition TP = new TopicPartition("replicated", 0);
    static final long PID = 77L;
    static final short PEPOCH = 0;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(PartitionLogTest.T0);
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

    static List<Integer> epochs(Records records) {
        List<Integer> epochs = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            epochs.add(batch.partitionLeaderEpoch());
        }
        return epochs;
    }

    @Test
    void keepsTheLeadersOffsetsTimestampsAndEpochsAndLeavesTheHighWatermark() throws Exception {
        // Given an empty follower log
        PartitionLog log = open(LogConfig.defaults());
        MemoryRecords fetched = ReplicaBatches.concat(List.of(ReplicaBatches.batch(0, 3, 1),
                ReplicaBatches.batch(3, 2, 2)));

        // When one fetch response's batches are appended
        LogAppendInfo info = log.appendAsFollower(fetched);

        // Then they are in the log as the leader wrote them, the epoch cache knows both epochs, the HW did not move
        assertThat(info.firstOffset()).isZero();
        assertThat(info.lastOffset()).isEqualTo(4);
        assertThat(info.recordCount()).isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.highWatermark()).isZero();
        Records read = log.read(0, 1 << 20, Long.MAX_VALUE, false).records();
        assertThat(TestBatches.offsets(read)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(epochs(read)).containsExactly(1, 2);
        assertThat(read.batches().iterator().next().maxTimestamp()).isEqualTo(PartitionLogTest.T0 + 2);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 3));
        assertThat(log.latestEpochInCache()).hasValue(2);
        assertThat(log.latestEpoch()).isEqualTo(2);

        // and a later gap (a compacted leader) is kept too
        log.appendAsFollower(ReplicaBatches.batch(10, 2, 2));
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(TestBatches.offsets(log.read(5, 1 << 20, Long.MAX_VALUE, false).records()))
                .containsExactly(10L, 11L);

        // and all of it survives a restart
        log = reopen(LogConfig.defaults());
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 3));
        assertThat(TestBatches.offsets(log.read(0, 1 << 20, Long.MAX_VALUE, false).records()))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 11L);
    }

    @Test
    void refusesOffsetsGoingBackwardsAndCorruptBatchesAppendingNothing() throws Exception {
        // Given a follower at LEO 5
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(ReplicaBatches.batch(0, 5, 1));

        // Then a batch below the LEO is refused with its offsets
        assertThatThrownBy(() -> log.appendAsFollower(ReplicaBatches.batch(3, 4, 1)))
                .isInstanceOfSatisfying(UnexpectedAppendOffsetException.class, e -> {
                    assertThat(e.firstOffset()).isEqualTo(3);
                    assertThat(e.lastOffset()).isEqualTo(6);
                });
        // offsets that do not increase within the request are refused
        assertThatThrownBy(() -> log.appendAsFollower(ReplicaBatches.concat(List.of(ReplicaBatches.batch(5, 3, 1),
                ReplicaBatches.batch(7, 2, 1))))).isInstanceOf(InvalidRecordException.class);
        // a batch whose CRC does not match is refused
        MemoryRecords corrupt = ReplicaBatches.batch(5, 3, 1);
        ByteBuffer bytes = corrupt.buffer();
        bytes.put(bytes.limit() - 1, (byte) (bytes.get(bytes.limit() - 1) ^ 0x5a));
        assertThatThrownBy(() -> log.appendAsFollower(corrupt)).isInstanceOf(CorruptRecordException.class);

        // and nothing of them reached the log
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0));
        assertThat(log.appendAsFollower(ReplicaBatches.batch(5, 1, 1)).firstOffset()).isEqualTo(5);
    }

    @Test
    void emptyRecordsAndATrailingPartialBatchAppendNothingOfThem() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        LogAppendInfo nothing = log.appendAsFollower(MemoryRecords.EMPTY);
        assertThat(nothing.recordCount()).isZero();
        assertThat(nothing.firstOffset()).isEqualTo(-1);
        assertThat(nothing.lastOffset()).isEqualTo(-1);
        assertThat(log.logEndOffset()).isZero();

        // a fetch response cut inside its second batch: the whole first batch is appended, the partial one ignored
        MemoryRecords both = ReplicaBatches.concat(List.of(ReplicaBatches.batch(0, 2, 0),
                ReplicaBatches.batch(2, 2, 0)));
        ByteBuffer cut = both.buffer().duplicate();
        cut.limit(cut.limit() - 7);
        LogAppendInfo info = log.appendAsFollower(MemoryRecords.readableRecords(cut.slice()));
        assertThat(info.lastOffset()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void maxMessageBytesIsNotEnforcedForFollowers() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withMaxMessageBytes(100));
        log.appendAsFollower(ReplicaBatches.withValueSize(0, 5, 0, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, 200));
        assertThat(log.logEndOffset()).isEqualTo(5);
    }

    @Test
    void aNewLeaderDetectsDuplicatesAndSequenceGapsOfReplicatedIdempotentBatches() throws Exception {
        // Given a follower that replicated producer 77's batches with sequences 0..2 and 3..4
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(ReplicaBatches.concat(List.of(ReplicaBatches.idempotent(0, 3, 1, PID, PEPOCH, 0),
                ReplicaBatches.idempotent(3, 2, 1, PID, PEPOCH, 3))));

        // When it becomes leader (epoch 2) and the producer retries its last batch
        log.assignEpochStartOffset(2, log.logEndOffset());
        LogAppendInfo retry = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 2, PID,
                PEPOCH, 3), 2);

        // Then the retry is a duplicate with the original offsets, a gap is refused, the next sequence is appended
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(3);
        assertThat(retry.lastOffset()).isEqualTo(4);
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 1,
                PID, PEPOCH, 9), 2)).isInstanceOf(OutOfOrderSequenceException.class);
        LogAppendInfo next = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 1, PID,
                PEPOCH, 5), 2);
        assertThat(next.duplicate()).isFalse();
        assertThat(next.firstOffset()).isEqualTo(5);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 5));

        // and after a restart (producer state from the close snapshot) the same holds
        PartitionLog again = reopen(LogConfig.defaults());
        assertThat(again.appendAsLeader(TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 1, PID, PEPOCH,
                5), 2).duplicate()).isTrue();
    }

    @Test
    void rollsBetweenBatchesOfOneRequestAndIndexesEveryBatch() throws Exception {
        // Given small segments and a small index interval
        MemoryRecords one = ReplicaBatches.batch(0, 4, 3);
        LogConfig config = LogConfig.defaults().withSegmentBytes(one.sizeInBytes() * 3 + 10)
                .withIndexIntervalBytes(1);
        PartitionLog log = open(config);
        List<MemoryRecords> parts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            parts.add(ReplicaBatches.batch(i * 4L, 4, 3));
        }

        // When ten batches arrive in one request
        log.appendAsFollower(ReplicaBatches.concat(parts));

        // Then they are spread over segments of three and every offset reads back from its batch
        assertThat(log.numberOfSegments()).isEqualTo(4);
        assertThat(log.segments()).extracting(s -> s.baseOffset()).containsExactly(0L, 12L, 24L, 36L);
        for (long offset = 0; offset < 40; offset++) {
            Records read = log.read(offset, 1, Long.MAX_VALUE, true).records();
            assertThat(TestBatches.offsets(read)).contains(offset);
        }
        assertThat(log.fetchOffsetByTimestamp(PartitionLogTest.T0 + 21).orElseThrow().offset).isEqualTo(21);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(3, 0));
    }

    @Test
    void aLogWithoutItsCheckpointFileRebuildsTheEpochCacheFromTheBatches() throws Exception {
        // Given a log of three epochs whose leader-epoch-checkpoint is gone (written by an earlier Samsa)
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(ReplicaBatches.batch(0, 2, 0));
        log.appendAsFollower(ReplicaBatches.batch(2, 2, 0));
        log.appendAsFollower(ReplicaBatches.batch(4, 2, 3));
        log.appendAsLeader(TestBatches.batch(PartitionLogTest.T0, 2), 5);
        Path file = log.dir().resolve("leader-epoch-checkpoint");
        manager.close();
        java.nio.file.Files.delete(file);

        // When it is opened
        manager = LogManager.open(List.of(dir), LogConfig.defaults(), time);
        PartitionLog again = manager.get(TP).orElseThrow();

        // Then the cache is rebuilt from the batch headers and written again
        assertThat(again.epochEntries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(3, 4),
                new EpochEntry(5, 6));
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("0\n3\n0 0\n3 4\n5 6\n");
        assertThat(again.endOffsetForEpoch(3)).hasValue(new EpochEndOffset(3, 6));
    }
}
