package io.samsa.storage.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.LogConfig;
import io.samsa.storage.TestBatches;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchValidatorTest {
    private static final long NOW = 1_700_000_000_000L;
    private final LogConfig config = LogConfig.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void acceptsValidBatchAndAssignsOffsetsInPlace(String codec) {
        MemoryRecords records = TestBatches.batch(Compression.of(codec).build(), NOW, 5);
        ValidatedBatch validated = BatchValidator.validate(records, config, NOW);
        assertThat(validated.count()).isEqualTo(5);
        assertThat(validated.maxTimestamp()).isEqualTo(NOW + 4);

        long maxTs = BatchValidator.assignOffsets(validated, 100, 7, TimestampType.CREATE_TIME, NOW);
        RecordBatch batch = records.batches().iterator().next();
        assertThat(batch.baseOffset()).isEqualTo(100);
        assertThat(batch.lastOffset()).isEqualTo(104);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(maxTs).isEqualTo(NOW + 4);
        assertThat(batch.isValid()).isTrue();
        assertThat(TestBatches.offsets(records)).containsExactly(100L, 101L, 102L, 103L, 104L);
    }

    @Test
    void logAppendTimeRewritesMaxTimestampAndKeepsCrcValid() {
        MemoryRecords records = TestBatches.batch(Compression.gzip().build(), NOW - 100_000, 3);
        ValidatedBatch validated = BatchValidator.validate(records, config, NOW);
        long maxTs = BatchValidator.assignOffsets(validated, 0, 0, TimestampType.LOG_APPEND_TIME, NOW);
        RecordBatch batch = records.batches().iterator().next();
        assertThat(maxTs).isEqualTo(NOW);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(NOW);
        assertThat(batch.isValid()).isTrue();
    }

    @Test
    void rejectsEmptyAndMultipleBatches() {
        assertThatThrownBy(() -> BatchValidator.validate(MemoryRecords.EMPTY, config, NOW))
                .isInstanceOf(InvalidRecordException.class);
        MemoryRecords a = TestBatches.batch(NOW, 2);
        MemoryRecords b = TestBatches.batch(NOW, 2);
        ByteBuffer both = ByteBuffer.allocate(a.sizeInBytes() + b.sizeInBytes());
        both.put(a.buffer().duplicate()).put(b.buffer().duplicate()).flip();
        assertThatThrownBy(() -> BatchValidator.validate(MemoryRecords.readableRecords(both), config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("exactly one");
    }

    @Test
    void rejectsOldMagic() {
        MemoryRecords v1 = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
                new SimpleRecord(NOW, "v".getBytes()));
        assertThatThrownBy(() -> BatchValidator.validate(v1, config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("magic");
    }

    @Test
    void rejectsNonZeroBaseOffset() {
        MemoryRecords records = TestBatches.batch(NOW, 2);
        records.batches().iterator().next().setLastOffset(10);
        assertThatThrownBy(() -> BatchValidator.validate(records, config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("base offset");
    }

    @Test
    void rejectsTooLargeForMaxMessageBytesAndSegment() {
        MemoryRecords records = TestBatches.withValueSize(NOW, 4, 1000);
        assertThatThrownBy(() -> BatchValidator.validate(records, config.withMaxMessageBytes(1000), NOW))
                .isInstanceOf(RecordTooLargeException.class);
        assertThatThrownBy(() -> BatchValidator.validate(records, config.withSegmentBytes(2000), NOW))
                .isInstanceOf(RecordBatchTooLargeException.class);
    }

    @Test
    void rejectsCorruptCrc() {
        MemoryRecords records = TestBatches.batch(NOW, 3);
        int last = records.sizeInBytes() - 1;
        records.buffer().put(last, (byte) (records.buffer().get(last) ^ 0x1));
        assertThatThrownBy(() -> BatchValidator.validate(records, config, NOW))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void rejectsCountMismatch() {
        MemoryRecords records = TestBatches.batch(NOW, 3);
        // lastOffsetDelta 2 -> 5, then fix the CRC so only the count rule fires
        records.buffer().putInt(DefaultRecordBatch.LAST_OFFSET_DELTA_OFFSET, 5);
        fixCrc(records);
        assertThatThrownBy(() -> BatchValidator.validate(records, config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("record count");
    }

    @Test
    void rejectsControlBatches() {
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(0L, NOW, 0, 1L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0));
        assertThatThrownBy(() -> BatchValidator.validate(marker, config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("control");
    }

    @Test
    void rejectsIdempotentBatchWithoutSequence() {
        MemoryRecords records = TestBatches.idempotent(Compression.NONE, NOW, 2, 42L, (short) 0, 0);
        records.buffer().putInt(53, -1); // baseSequence field
        fixCrc(records);
        assertThatThrownBy(() -> BatchValidator.validate(records, config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("sequence");
    }

    @Test
    void rejectsProducerLogAppendTime() {
        MemoryRecords records = TestBatches.build(Compression.NONE, TimestampType.LOG_APPEND_TIME, NOW,
                RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE,
                TestBatches.records(NOW, 2, 8));
        assertThatThrownBy(() -> BatchValidator.validate(records, config, NOW))
                .isInstanceOf(InvalidTimestampException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4"})
    void rejectsTimestampsOutsideTheWindow(String codec) {
        Compression compression = Compression.of(codec).build();
        MemoryRecords future = TestBatches.batch(compression, NOW + 3_600_001, 1);
        assertThatThrownBy(() -> BatchValidator.validate(future, config, NOW))
                .isInstanceOf(InvalidTimestampException.class);
        MemoryRecords past = TestBatches.batch(compression, NOW - 10_001, 1);
        assertThatThrownBy(() -> BatchValidator.validate(past, config.withTimestampBeforeMaxMs(10_000), NOW))
                .isInstanceOf(InvalidTimestampException.class);
        assertThat(BatchValidator.validate(TestBatches.batch(compression, NOW - 10_000, 1),
                config.withTimestampBeforeMaxMs(10_000), NOW).count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void compactedLogsRequireKeys(String codec) {
        Compression compression = Compression.of(codec).build();
        MemoryRecords keyless = TestBatches.build(compression, TimestampType.CREATE_TIME, NOW,
                RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE,
                List.of(new SimpleRecord(NOW, "k".getBytes(), "v".getBytes()), new SimpleRecord(NOW, null, "v".getBytes())));
        assertThatThrownBy(() -> BatchValidator.validate(keyless, config.withCompact(true), NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("key");
        assertThat(BatchValidator.validate(keyless, config, NOW).count()).isEqualTo(2);
    }

    @Test
    void rejectsBrokenRecordFramingInUncompressedBatch() {
        MemoryRecords records = TestBatches.batch(NOW, 2);
        // first record: length varint at 61, attributes at 62, timestampDelta at 63, offsetDelta at 64 -> make it 1
        records.buffer().put(64, (byte) 2); // zigzag(1)
        fixCrc(records);
        assertThatThrownBy(() -> BatchValidator.validate(records, config, NOW))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("offset delta");
    }

    private static void fixCrc(MemoryRecords records) {
        MutableRecordBatch batch = records.batches().iterator().next();
        // setMaxTimestamp recomputes the CRC when the value changes: flip it twice
        long ts = batch.maxTimestamp();
        batch.setMaxTimestamp(TimestampType.CREATE_TIME, ts + 1);
        batch.setMaxTimestamp(TimestampType.CREATE_TIME, ts);
    }
}
