package io.samsa.storage.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class RecompressorTest {
    private static MemoryRecords batch(Compression compression) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                compression, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, 42L, (short) 3, 17, false,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < 3; i++) {
            builder.appendWithOffset(i, 1_000 + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("value " + i).getBytes(StandardCharsets.UTF_8),
                    new RecordHeader[] {new RecordHeader("h", new byte[] {(byte) i})});
        }
        return builder.build();
    }

    private static List<String> contents(MemoryRecords records) {
        List<String> out = new ArrayList<>();
        for (Record r : records.records()) {
            out.add(r.offset() + "/" + r.timestamp() + "/" + StandardCharsets.UTF_8.decode(r.key()) + "/"
                    + StandardCharsets.UTF_8.decode(r.value()) + "/" + r.headers()[0].value()[0]);
        }
        return out;
    }

    @Test
    void rebuildsWithTheTopicCodecKeepingRecordsAndProducerState() {
        // Given
        MemoryRecords gzip = batch(Compression.gzip().build());

        // When
        MemoryRecords lz4 = Recompressor.toTopicCompression(gzip, "lz4");
        MemoryRecords plain = Recompressor.toTopicCompression(gzip, "uncompressed");

        // Then
        for (MemoryRecords rebuilt : List.of(lz4, plain)) {
            RecordBatch b = rebuilt.batches().iterator().next();
            assertThat(b.isValid()).isTrue();
            assertThat(b.producerId()).isEqualTo(42L);
            assertThat(b.producerEpoch()).isEqualTo((short) 3);
            assertThat(b.baseSequence()).isEqualTo(17);
            assertThat(b.lastSequence()).isEqualTo(19);
            assertThat(b.baseOffset()).isZero();
            assertThat(contents(rebuilt)).isEqualTo(contents(gzip));
        }
        assertThat(lz4.batches().iterator().next().compressionType()).isEqualTo(CompressionType.LZ4);
        assertThat(plain.batches().iterator().next().compressionType()).isEqualTo(CompressionType.NONE);
    }

    @Test
    void keepsTheBatchWhenNothingIsToBeDone() {
        MemoryRecords zstd = batch(Compression.zstd().build());

        assertThat(Recompressor.toTopicCompression(zstd, "producer")).isSameAs(zstd);
        assertThat(Recompressor.toTopicCompression(zstd, "zstd")).isSameAs(zstd);
        assertThat(Recompressor.toTopicCompression(zstd, null)).isSameAs(zstd);
    }

    @Test
    void leavesACorruptBatchToTheValidator() {
        MemoryRecords plain = batch(Compression.NONE);
        ByteBuffer buffer = plain.buffer();
        buffer.put(buffer.limit() - 1, (byte) (buffer.get(buffer.limit() - 1) ^ 0x5a));

        assertThat(Recompressor.toTopicCompression(plain, "gzip")).isSameAs(plain);
    }
}
