package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    static final long T0 = 1_700_000_000_000L;
    static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    LogManager manager;

    PartitionLog open(LogConfig config) throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.getOrCreate(TP, Uuid.randomUuid(), config);
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void appendsAssignOffsetsAndLeaveTheHighWatermarkToTheCaller() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        LogAppendInfo first = log.appendAsLeader(TestBatches.batch(T0, 3), 5);
        LogAppendInfo second = log.appendAsLeader(TestBatches.batch(Compression.zstd().build(), T0, 2), 5);
        assertThat(first).isEqualTo(new LogAppendInfo(0, 2, -1, 0, 3, false));
        assertThat(second).isEqualTo(new LogAppendInfo(3, 4, -1, 0, 2, false));
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.highWatermark()).isZero();
        assertThat(log.read(0, 1 << 20, log.highWatermark(), true).records().sizeInBytes()).isZero();

        log.updateHighWatermark(100);
        assertThat(log.highWatermark()).isEqualTo(5);
        log.updateHighWatermark(3);
        assertThat(log.highWatermark()).as("never moves back").isEqualTo(5);
        FetchDataInfo read = log.read(0, 1 << 20, log.highWatermark(), false);
        assertThat(read.records()).isInstanceOf(FileRecords.class);
        assertThat(TestBatches.offsets(read.records())).containsExactly(0L, 1L, 2L, 3L, 4L);
        for (RecordBatch batch : read.records().batches()) {
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(5);
        }
    }

    @Test
    void readsRespectBoundsAndRanges() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(TestBatches.withValueSize(T0, 10, 100), 0);
        }
        int batch = log.read(0, 1, Long.MAX_VALUE, true).records().sizeInBytes();
        log.updateHighWatermark(30);
        // HW bounds the read: batches at or above offset 30 are never returned
        assertThat(TestBatches.offsets(log.read(12, 1 << 20, log.highWatermark(), false).records()))
                .hasSize(20).startsWith(10L).endsWith(29L);
        // fetch in [HW, LEO] and at LEO: empty; out of range: error
        assertThat(log.read(30, 1 << 20, log.highWatermark(), false).records().sizeInBytes()).isZero();
        assertThat(log.read(50, 1 << 20, log.highWatermark(), false).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(51, 100, Long.MAX_VALUE, false)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 100, Long.MAX_VALUE, false)).isInstanceOf(OffsetOutOfRangeException.class);
        // maxBytes: whole batches only; minOneMessage returns one whole batch past the budget
        assertThat(TestBatches.batchCount(log.read(0, 2 * batch + 10, Long.MAX_VALUE, false).records())).isEqualTo(2);
        assertThat(log.read(0, batch - 1, Long.MAX_VALUE, false).records().sizeInBytes()).isZero();
        assertThat(log.read(0, batch - 1, Long.MAX_VALUE, true).records().sizeInBytes()).isEqualTo(batch);
        // maxOffset in the middle of a batch excludes that batch
        assertThat(TestBatches.offsets(log.read(0, 1 << 20, 25, false).records())).hasSize(20);
    }

    @Test
    void rollsBySizeAndByTimeAndReadsAcrossSegments() throws Exception {
        MemoryRecords sample = TestBatches.withValueSize(T0, 10, 100);
        int size = sample.sizeInBytes();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(3 * size).withSegmentMs(60_000));
        for (int i = 0; i < 7; i++) {
            log.appendAsLeader(TestBatches.withValueSize(T0, 10, 100), 0);
        }
        assertThat(log.numberOfSegments()).isEqualTo(3);
        assertThat(log.segments()).extracting(s -> s.baseOffset()).containsExactly(0L, 30L, 60L);
        assertThat(dir.resolve("orders-0/00000000000000000030.log")).exists();
        assertThat(dir.resolve("orders-0/00000000000000000030.snapshot")).exists();
        log.updateHighWatermark(log.logEndOffset());
        assertThat(TestBatches.offsets(log.read(25, 1 << 20, 70, false).records())).hasSize(10).startsWith(20L);
        assertThat(TestBatches.offsets(log.read(30, 1 << 20, 70, false).records())).hasSize(30).startsWith(30L);

        // time: the active segment's first batch has max timestamp T0 + 9
        time.advance(60_009);
        log.appendAsLeader(TestBatches.withValueSize(time.milliseconds(), 1, 10), 0);
        assertThat(log.numberOfSegments()).isEqualTo(3);
        time.advance(1);
        log.appendAsLeader(TestBatches.withValueSize(time.milliseconds(), 1, 10), 0);
        assertThat(log.numberOfSegments()).isEqualTo(4);
    }

    @Test
    void logAppendTimeTopicsStampBrokerTime() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
        LogAppendInfo info = log.appendAsLeader(TestBatches.batch(T0 - 86_400_000L * 30, 2), 0);
        assertThat(info.logAppendTimeMs()).isEqualTo(T0);
        log.updateHighWatermark(2);
        RecordBatch batch = log.read(0, 1 << 20, 2, false).records().batches().iterator().next();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(T0);
    }

    @Test
    void idempotentDuplicatesAreNotAppended() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(TestBatches.batch(T0, 2), 0);
        LogAppendInfo first = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 3, 9L, (short) 1, 0), 0);
        LogAppendInfo retry = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 3, 9L, (short) 1, 0), 0);
        assertThat(retry).isEqualTo(new LogAppendInfo(2, 4, -1, 0, 0, true));
        assertThat(first.duplicate()).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 9L, (short) 1, 5), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThatThrownBy(() -> log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 9L, (short) 0, 3), 0))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThat(log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 9L, (short) 2, 0), 0).firstOffset())
                .isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void fetchOffsetByTimestampFollowsListOffsetsSemantics() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withIndexIntervalBytes(1));
        assertThat(log.fetchOffsetByTimestamp(-3)).isEmpty();
        assertThat(log.fetchOffsetByTimestamp(T0)).isEmpty();
        log.appendAsLeader(TestBatches.batch(T0, 5), 3);           // offsets 0..4, ts T0..T0+4
        log.appendAsLeader(TestBatches.batch(T0 + 100, 5), 3);     // offsets 5..9, ts T0+100..104
        log.appendAsLeader(TestBatches.batch(Compression.gzip().build(), T0 + 50, 5), 4); // 10..14, ts T0+50..54
        log.updateHighWatermark(10);
        assertThat(log.fetchOffsetByTimestamp(-2)).contains(new FileRecords.TimestampAndOffset(-1, 0, java.util.Optional.of(3)));
        assertThat(log.fetchOffsetByTimestamp(-4).orElseThrow().offset).isZero();
        assertThat(log.fetchOffsetByTimestamp(-1)).contains(new FileRecords.TimestampAndOffset(-1, 10, java.util.Optional.of(4)));
        FileRecords.TimestampAndOffset max = log.fetchOffsetByTimestamp(-3).orElseThrow();
        assertThat(max.timestamp).isEqualTo(T0 + 104);
        assertThat(max.offset).isEqualTo(9);
        assertThat(log.fetchOffsetByTimestamp(T0 + 2).orElseThrow().offset).isEqualTo(2);
        assertThat(log.fetchOffsetByTimestamp(T0 + 52).orElseThrow().offset).isEqualTo(5);
        assertThat(log.fetchOffsetByTimestamp(T0 + 103).orElseThrow().offset).isEqualTo(8);
        assertThat(log.fetchOffsetByTimestamp(T0 + 105)).isEmpty();
    }

    @Test
    void flushMessagesAdvancesTheRecoveryPoint() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withFlushMessages(5));
        LogAppendInfo below = log.appendAsLeader(TestBatches.batch(T0, 3), 0);
        assertThat(below.awaitFlush()).isFalse();
        assertThat(log.recoveryPoint()).isZero();
        LogAppendInfo reached = log.appendAsLeader(TestBatches.batch(T0, 3), 0);
        assertThat(reached.awaitFlush()).isTrue();
        log.flushedTo(reached.lastOffset() + 1).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(log.recoveryPoint()).isEqualTo(6);
        assertThat(log.appendAsLeader(TestBatches.batch(T0, 3), 0).awaitFlush()).isFalse(); // counted from the flush
    }

    @Test
    void flushMsIsAppliedByFlushDirtyLogs() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withFlushMs(1_000));
        log.appendAsLeader(TestBatches.batch(T0, 3), 0);
        manager.flushDirtyLogs();
        assertThat(log.recoveryPoint()).isZero();
        time.advance(1_000);
        manager.flushDirtyLogs();
        assertThat(log.recoveryPoint()).isEqualTo(3);
        assertThat(dir.resolve("recovery-point-offset-checkpoint")).content().isEqualTo("0\n1\norders 0 3\n");
    }

    @Test
    void concurrentReadersSeeOnlyWholeBatches() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(64 * 1024).withIndexIntervalBytes(512));
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> errors = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            long fetchOffset = 0;
            while (!done.get() || fetchOffset < log.logEndOffset()) {
                try {
                    Records records = log.read(fetchOffset, 8 * 1024, log.highWatermark(), true).records();
                    long expected = fetchOffset;
                    for (RecordBatch batch : records.batches()) {
                        batch.ensureValid();
                        if (batch.baseOffset() != expected) {
                            throw new AssertionError("gap: expected " + expected + " got " + batch.baseOffset());
                        }
                        expected = batch.nextOffset();
                    }
                    fetchOffset = expected;
                } catch (Throwable t) {
                    synchronized (errors) {
                        errors.add(t);
                    }
                    return;
                }
            }
        });
        for (int i = 0; i < 2_000; i++) {
            log.appendAsLeader(TestBatches.withValueSize(T0, 5, 50), 0);
            log.updateHighWatermark(log.logEndOffset());
        }
        done.set(true);
        reader.get();
        assertThat(errors).isEmpty();
        assertThat(log.numberOfSegments()).isGreaterThan(5);
    }
}
