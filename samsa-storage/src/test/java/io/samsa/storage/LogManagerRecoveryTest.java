package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerRecoveryTest {
    static final long T0 = PartitionLogTest.T0;
    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final Uuid TOPIC_ID = Uuid.randomUuid();

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    final LogConfig config = LogConfig.defaults().withIndexIntervalBytes(100).withSegmentIndexBytes(4096);

    LogManager open() throws Exception {
        return LogManager.open(List.of(dir), config, time);
    }

    Path partitionDir() {
        return dir.resolve("orders-0");
    }

    /** Appends {@code n} batches of 10 records; returns the size of one batch. */
    static int appendBatches(PartitionLog log, int n) {
        int size = 0;
        for (int i = 0; i < n; i++) {
            MemoryRecords records = TestBatches.withValueSize(T0, 10, 100);
            size = records.sizeInBytes();
            log.appendAsLeader(records, 1);
        }
        return size;
    }

    /** Reads every record (a read stops at a segment end, like Kafka's). */
    static List<Long> readAll(PartitionLog log) {
        List<Long> offsets = new java.util.ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            List<Long> chunk = TestBatches.offsets(log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE, false).records());
            offsets.addAll(chunk);
            next = chunk.get(chunk.size() - 1) + 1;
        }
        return offsets;
    }

    @Test
    void cleanRestartTrustsIndexesAndRestoresOffsets() throws Exception {
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config.withSegmentBytes(5_000));
        appendBatches(log, 10);
        log.updateHighWatermark(60);
        manager.close();
        assertThat(dir.resolve(".kafka_cleanshutdown")).exists();
        assertThat(partitionDir().resolve("partition.metadata")).content()
                .isEqualTo("version: 0\ntopic_id: " + TOPIC_ID);
        assertThat(dir.resolve("log-start-offset-checkpoint")).content().isEqualTo("0\n1\norders 0 0\n");
        assertThat(dir.resolve("recovery-point-offset-checkpoint")).content().isEqualTo("0\n1\norders 0 100\n");
        assertThat(Files.size(partitionDir().resolve("00000000000000000000.index")) % 8).isZero();
        assertThat(Files.size(partitionDir().resolve("00000000000000000000.index"))).isLessThan(4096);

        LogManager reopened = open();
        assertThat(dir.resolve(".kafka_cleanshutdown")).doesNotExist();
        PartitionLog again = reopened.get(TP).orElseThrow();
        assertThat(again.topicId()).isEqualTo(TOPIC_ID);
        assertThat(again.logEndOffset()).isEqualTo(100);
        assertThat(again.highWatermark()).isEqualTo(60);
        assertThat(again.recoveryPoint()).isEqualTo(100);
        assertThat(again.numberOfSegments()).isEqualTo(log.numberOfSegments());
        assertThat(readAll(again)).hasSize(100).startsWith(0L).endsWith(99L);
        assertThat(again.appendAsLeader(TestBatches.batch(T0, 1), 2).firstOffset()).isEqualTo(100);
        reopened.close();
    }

    @Test
    void uncleanRestartTruncatesTornWriteAndContinuesAtTheRightOffset() throws Exception {
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config);
        int batch = appendBatches(log, 5);
        manager.crashForTesting();
        // Given the last batch torn half way
        Path segment = partitionDir().resolve("00000000000000000000.log");
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.setLength(4L * batch + batch / 2);
        }
        LogManager reopened = open();
        PartitionLog again = reopened.get(TP).orElseThrow();
        assertThat(Files.size(segment)).isEqualTo(4L * batch);
        assertThat(again.logEndOffset()).isEqualTo(40);
        assertThat(readAll(again)).hasSize(40).endsWith(39L);
        assertThat(again.appendAsLeader(TestBatches.batch(T0, 2), 1).firstOffset()).isEqualTo(40);
        reopened.close();
    }

    @Test
    void uncleanRestartTruncatesAtCorruptCrcAndDropsLaterSegments() throws Exception {
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config.withSegmentBytes(3_000));
        int batch = appendBatches(log, 8);
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        long secondBase = log.segments().get(1).baseOffset();
        manager.crashForTesting();
        // Given a flipped payload byte in the second batch of the second segment
        Path second = partitionDir().resolve(String.format("%020d.log", secondBase));
        try (RandomAccessFile raf = new RandomAccessFile(second.toFile(), "rw")) {
            long at = batch + 100;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x55);
        }
        LogManager reopened = open();
        PartitionLog again = reopened.get(TP).orElseThrow();
        assertThat(again.logEndOffset()).isEqualTo(secondBase + 10);
        assertThat(again.numberOfSegments()).isEqualTo(2);
        assertThat(readAll(again)).hasSize((int) secondBase + 10);
        assertThat(again.appendAsLeader(TestBatches.batch(T0, 1), 1).firstOffset()).isEqualTo(secondBase + 10);
        reopened.close();
    }

    @Test
    void missingOrCorruptIndexIsRebuilt() throws Exception {
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config.withSegmentBytes(5_000));
        appendBatches(log, 10);
        long entries = log.segments().get(0).offsetIndex().entries();
        long secondBase = log.segments().get(1).baseOffset();
        int secondTimeEntries = log.segments().get(1).timeIndex().entries();
        manager.close();
        Files.delete(partitionDir().resolve("00000000000000000000.index"));
        Files.write(partitionDir().resolve(String.format("%020d.timeindex", secondBase)), new byte[] {1, 2, 3});

        LogManager reopened = open();
        PartitionLog again = reopened.get(TP).orElseThrow();
        assertThat(again.segments().get(0).offsetIndex().entries()).isEqualTo(entries);
        assertThat(again.segments().get(0).timeIndex().entries()).isPositive();
        assertThat(again.segments().get(1).timeIndex().entries()).isGreaterThanOrEqualTo(secondTimeEntries).isPositive();
        assertThat(TestBatches.offsets(again.read(25, 1, 100, true).records())).startsWith(20L).hasSize(10);
        assertThat(again.fetchOffsetByTimestamp(T0 + 5).orElseThrow().offset).isEqualTo(5);
        reopened.close();
    }

    @Test
    void producerStateSurvivesCleanAndUncleanRestarts() throws Exception {
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config);
        log.appendAsLeader(TestBatches.idempotent(Compression.lz4().build(), T0, 3, 77L, (short) 0, 0), 0);
        log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 2, 77L, (short) 0, 3), 0);
        manager.close();
        assertThat(partitionDir().resolve("00000000000000000005.snapshot")).exists();

        // clean: the snapshot holds the last batch
        LogManager clean = open();
        PartitionLog again = clean.get(TP).orElseThrow();
        assertThat(again.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 2, 77L, (short) 0, 3), 0))
                .isEqualTo(new LogAppendInfo(3, 4, -1, 0, 0, true));
        assertThatThrownBy(() -> again.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 77L, (short) 0, 9), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        again.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 77L, (short) 0, 5), 0);
        clean.crashForTesting();

        // unclean: the batch after the snapshot is replayed from the log
        LogManager unclean = open();
        PartitionLog third = unclean.get(TP).orElseThrow();
        assertThat(third.logEndOffset()).isEqualTo(6);
        assertThat(third.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 77L, (short) 0, 5), 0).duplicate())
                .isTrue();
        assertThat(third.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 1, 77L, (short) 0, 6), 0).firstOffset())
                .isEqualTo(6);
        unclean.close();
    }

    @Test
    void lockPlacementAndDelete(@TempDir Path other) throws Exception {
        LogManager manager = LogManager.open(List.of(dir, other), config, time);
        assertThatThrownBy(() -> LogManager.open(List.of(dir), config, time))
                .isInstanceOf(KafkaStorageException.class).hasMessageContaining("locked");
        for (int p = 0; p < 4; p++) {
            manager.getOrCreate(new TopicPartition("t", p), TOPIC_ID, config);
        }
        assertThat(manager.partitionCounts().values()).containsExactly(2, 2);
        PartitionLog log = manager.get(new TopicPartition("t", 0)).orElseThrow();
        appendBatches(log, 2);
        Path path = log.dir();
        manager.delete(new TopicPartition("t", 0));
        assertThat(path).doesNotExist();
        assertThat(manager.get(new TopicPartition("t", 0))).isEmpty();
        manager.close();
        LogManager reopened = LogManager.open(List.of(dir, other), config, time);
        assertThat(reopened.logs()).hasSize(3);
        reopened.close();
    }
}
