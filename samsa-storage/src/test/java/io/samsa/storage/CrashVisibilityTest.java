package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.producer.BatchMetadata;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, bug 1, at the storage level: many small idempotent batches in one large segment (Kafka's default
 * {@code segment.bytes} and preallocated indexes), a crash in the middle of a write, then a restart that is only
 * read. Everything appended before the crash must come back: the log end offset, every batch through the rebuilt
 * indexes, the producer state; the checkpointed high watermark is restored as a lower bound only (the leader lifts it
 * to the log end offset, {@code ReplicaManager}), never above the log end offset.
 */
class CrashVisibilityTest {
    private static final TopicPartition TP = new TopicPartition("crash", 0);
    private static final long PRODUCER_ID = 4_242L;
    private static final short EPOCH = 0;
    private static final int BATCHES = 20_000;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(PartitionLogTest.T0);
    final LogConfig config = LogConfig.defaults();

    @Test
    void everyAppendedBatchOfOneLargeSegmentIsThereAfterACrashWithoutAnotherWrite() throws Exception {
        // Given a log that took 20,000 one-record idempotent batches into its first segment, with the high watermark
        // following the log end offset (a leader alone in its ISR) and checkpointed once, early, as at start-up
        LogManager manager = LogManager.open(List.of(dir), config, time);
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), config);
        List<Long> acknowledged = new ArrayList<>();
        for (int seq = 0; seq < BATCHES; seq++) {
            MemoryRecords batch = TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 1, PRODUCER_ID, EPOCH,
                    seq);
            acknowledged.add(log.appendAsLeader(batch, 0).firstOffset());
            log.updateHighWatermark(log.logEndOffset());
            if (seq == 100) {
                manager.checkpoint();
            }
        }
        Path segment = log.segments().get(0).file().toPath();
        long sizeBeforeCrash = Files.size(segment);

        // When the process dies while the next batch is half written
        manager.crashForTesting();
        MemoryRecords torn = TestBatches.idempotent(Compression.NONE, PartitionLogTest.T0, 50, PRODUCER_ID, EPOCH,
                BATCHES);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer half = torn.buffer().duplicate();
            half.limit(half.limit() / 2);
            channel.write(half);
        }
        LogManager reopened = LogManager.open(List.of(dir), config, time);
        PartitionLog again = reopened.get(TP).orElseThrow();

        // Then, reading only: the log ends after the last acknowledged batch, the torn bytes are gone
        assertThat(again.numberOfSegments()).isEqualTo(1);
        assertThat(again.logEndOffset()).isEqualTo(BATCHES);
        assertThat(Files.size(segment)).isEqualTo(sizeBeforeCrash);
        assertThat(again.logStartOffset()).isZero();
        assertThat(again.fetchOffsetByTimestamp(-2L).orElseThrow().offset).isZero();

        // and the restored high watermark is the stale checkpoint: a lower bound, not above the log end offset
        assertThat(again.highWatermark()).isEqualTo(101).isLessThanOrEqualTo(again.logEndOffset());

        // and every acknowledged offset is read back, in order, through the rebuilt offset index
        assertThat(readAllRecords(again)).isEqualTo(acknowledged);
        long middle = BATCHES / 2 + 7;
        RecordBatch found = again.read(middle, 1, Long.MAX_VALUE, true).records().batches().iterator().next();
        assertThat(found.baseOffset()).isEqualTo(middle);
        assertThat(found.baseSequence()).isEqualTo((int) middle);

        // and the producer state knows the last acknowledged batch (a retry of it would be a duplicate)
        Optional<BatchMetadata> retry = again.producerState().check(PRODUCER_ID, EPOCH, BATCHES - 1, BATCHES - 1);
        assertThat(retry).map(BatchMetadata::firstOffset).contains((long) BATCHES - 1);
        assertThat(again.producerLastOffsets()).isEqualTo(Map.of(PRODUCER_ID, (long) BATCHES - 1));
        reopened.close();
    }

    private static List<Long> readAllRecords(PartitionLog log) {
        List<Long> offsets = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            for (RecordBatch batch : log.read(next, 1 << 20, log.logEndOffset(), true).records().batches()) {
                for (Record record : batch) {
                    offsets.add(record.offset());
                }
                next = batch.nextOffset();
            }
        }
        return offsets;
    }
}
