package io.samsa.storage.validation;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Locale;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * Enforces a topic's {@code compression.type} on a producer batch before it is validated and appended (Kafka's
 * {@code LogValidator} with a target codec that differs from the source codec): {@code producer} keeps the batch as
 * sent; a codec name ({@code uncompressed}, {@code gzip}, {@code snappy}, {@code lz4}, {@code zstd}) decompresses the
 * batch and rebuilds it with that codec at the codec's default level, keeping every record's offset delta,
 * timestamp, key, value and headers and the batch's producer id, producer epoch, base sequence and transactional
 * flag. A batch that already uses the target codec is returned untouched (no re-encoding on the hot path).
 *
 * <p>Only a well-formed client batch is rebuilt: exactly one magic-2 batch, base offset 0, valid CRC, not a control
 * batch, CreateTime. Anything else is returned unchanged so that {@link BatchValidator} reports Kafka's error for it
 * (recompressing first would hide a CRC failure). The rebuilt batch is then validated like any other, so
 * {@code max.message.bytes} applies to the size after recompression, as in Kafka.
 *
 * <p>Stateless and thread-safe. Allocates one heap buffer per rebuilt batch.
 */
public final class Recompressor {
    private Recompressor() {
    }

    /**
     * The batch as the topic stores it.
     *
     * @param records          one partition's produce records, exactly as received
     * @param topicCompression the topic's effective {@code compression.type} (null or {@code producer}: keep)
     * @return {@code records} itself, or a new heap-backed {@link MemoryRecords} with the target codec
     * @throws IllegalArgumentException for an unknown codec name (configs are validated before they get here)
     */
    public static MemoryRecords toTopicCompression(MemoryRecords records, String topicCompression) {
        if (topicCompression == null || topicCompression.equals("producer")) {
            return records;
        }
        CompressionType target = topicCompression.equals("uncompressed")
                ? CompressionType.NONE : CompressionType.forName(topicCompression.toLowerCase(Locale.ROOT));
        Iterator<MutableRecordBatch> batches = records.batches().iterator();
        if (!batches.hasNext()) {
            return records;
        }
        MutableRecordBatch batch = batches.next();
        if (batches.hasNext() || batch.magic() != RecordBatch.MAGIC_VALUE_V2 || batch.compressionType() == target
                || batch.baseOffset() != 0 || batch.isControlBatch()
                || batch.timestampType() != TimestampType.CREATE_TIME || !batch.isValid()) {
            return records;
        }
        try {
            return rebuild(batch, Compression.of(target).build(), records.sizeInBytes());
        } catch (RuntimeException e) {
            return records; // undecodable: the validator rejects the original with INVALID_RECORD
        }
    }

    private static MemoryRecords rebuild(MutableRecordBatch batch, Compression compression, int sizeHint) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(sizeHint, 512));
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), batch.isTransactional(), batch.partitionLeaderEpoch());
        try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            while (it.hasNext()) {
                Record record = it.next();
                builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                        record.headers());
            }
        }
        return builder.build();
    }
}
