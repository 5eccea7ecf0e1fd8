package io.samsa.storage.validation;

import io.samsa.storage.LogConfig;
import java.util.Iterator;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * Validates a produce request's records for one partition as Kafka does for a client append ({@code
 * ProduceRequest.validateRecords}, {@code UnifiedLog.analyzeAndValidateRecords}, {@code LogValidator}), then renumbers
 * the batch in place ({@link #assignOffsets}): only header fields change, the payload is never re-encoded.
 *
 * <p>Uncompressed batches are checked with absolute reads over the request buffer (no allocation per record);
 * compressed ones are decompressed in a streaming fashion without materialising keys and values, reusing a
 * per-thread {@link BufferSupplier}.
 *
 * <p>Thread-safe (stateless apart from thread-local scratch).
 */
public final class BatchValidator {
    private static final ThreadLocal<BufferSupplier> BUFFERS = ThreadLocal.withInitial(BufferSupplier::create);
    private static final ThreadLocal<UncompressedRecordScanner> SCANNERS =
            ThreadLocal.withInitial(UncompressedRecordScanner::new);

    private BatchValidator() {
    }

    /**
     * Checks every rule and returns the single batch with its record count and max timestamp.
     *
     * @param nowMs broker time (ms) for the timestamp bounds
     * @throws InvalidRecordException       no batch, several batches, magic not 2, client base offset not 0, broken
     *                                      record count or framing, control batch, missing sequence, missing key on
     *                                      a compacted log
     * @throws RecordTooLargeException      batch larger than {@code max.message.bytes}
     * @throws CorruptRecordException       CRC mismatch
     * @throws RecordBatchTooLargeException batch larger than {@code segment.bytes}
     * @throws InvalidTimestampException    a CreateTime record outside the allowed window, or a producer-set
     *                                      LogAppendTime batch
     */
    public static ValidatedBatch validate(MemoryRecords records, LogConfig config, long nowMs) {
        return validate(records, config, nowMs, false);
    }

    /**
     * {@link #validate(MemoryRecords, LogConfig, long)} for a batch from the broker's own coordinators (Kafka's
     * {@code AppendOrigin.COORDINATOR}) when {@code fromCoordinator}: control batches (transaction markers, KIP-98)
     * are accepted, and batches with a producer id need no sequence (offset commits and markers carry none).
     */
    public static ValidatedBatch validate(MemoryRecords records, LogConfig config, long nowMs,
                                          boolean fromCoordinator) {
        Iterator<MutableRecordBatch> batches = records.batches().iterator();
        if (!batches.hasNext()) {
            throw new InvalidRecordException("produce request holds no complete record batch");
        }
        MutableRecordBatch batch = batches.next();
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new InvalidRecordException("record batches must have magic 2, got " + batch.magic());
        }
        if (batches.hasNext() || batch.sizeInBytes() != records.sizeInBytes()) {
            throw new InvalidRecordException("produce request must hold exactly one record batch per partition");
        }
        if (batch.baseOffset() != 0) {
            throw new InvalidRecordException("client batch base offset must be 0, got " + batch.baseOffset());
        }
        int size = batch.sizeInBytes();
        if (size > config.maxMessageBytes()) {
            throw new RecordTooLargeException("batch of " + size + " bytes exceeds max.message.bytes "
                    + config.maxMessageBytes());
        }
        if (!batch.isValid()) {
            throw new CorruptRecordException("record batch failed its CRC check");
        }
        if (size > config.segmentBytes()) {
            throw new RecordBatchTooLargeException("batch of " + size + " bytes exceeds segment.bytes "
                    + config.segmentBytes());
        }
        int count = validateHeader(batch, fromCoordinator);
        long maxTimestamp = batch.isCompressed()
                ? scanCompressed(batch, count, config, nowMs)
                : scanUncompressed(records, batch, count, config, nowMs);
        return new ValidatedBatch(batch, count, maxTimestamp);
    }

    private static int validateHeader(MutableRecordBatch batch, boolean fromCoordinator) {
        Integer countOrNull = batch.countOrNull();
        int count = countOrNull == null ? 0 : countOrNull;
        if (count <= 0 || batch.lastOffset() - batch.baseOffset() + 1 != count) {
            throw new InvalidRecordException("record count " + count + " does not match last offset delta "
                    + (batch.lastOffset() - batch.baseOffset()));
        }
        if (batch.isControlBatch()) {
            if (!fromCoordinator) {
                throw new InvalidRecordException("clients may not send control batches");
            }
            if (!batch.hasProducerId() || count != 1) {
                throw new InvalidRecordException("a transaction marker needs a producer id and exactly one record");
            }
        }
        if (!fromCoordinator && batch.hasProducerId() && batch.baseSequence() < 0) {
            throw new InvalidRecordException("idempotent batch of producer " + batch.producerId()
                    + " has no base sequence");
        }
        if (batch.isTransactional() && !batch.hasProducerId()) {
            throw new InvalidRecordException("transactional batch without a producer id");
        }
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            throw new InvalidTimestampException("producers may not set timestamp type LogAppendTime");
        }
        return count;
    }

    private static long scanUncompressed(MemoryRecords records, MutableRecordBatch batch, int count,
                                         LogConfig config, long nowMs) {
        int start = records.buffer().position();
        long baseTimestamp = ((DefaultRecordBatch) batch).baseTimestamp();
        return SCANNERS.get().scan(records.buffer(), start + DefaultRecordBatch.RECORD_BATCH_OVERHEAD,
                start + batch.sizeInBytes(), count, baseTimestamp,
                (index, timestamp, hasKey) -> checkRecord(index, timestamp, hasKey, config, nowMs));
    }

    private static long scanCompressed(MutableRecordBatch batch, int count, LogConfig config, long nowMs) {
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        int index = 0;
        try (CloseableIterator<Record> it = batch.skipKeyValueIterator(BUFFERS.get())) {
            while (it.hasNext()) {
                Record record = it.next();
                if (record.offset() != batch.baseOffset() + index) {
                    throw new InvalidRecordException("record " + index + " has inner offset " + record.offset());
                }
                checkRecord(index, record.timestamp(), record.hasKey(), config, nowMs);
                maxTimestamp = Math.max(maxTimestamp, record.timestamp());
                index++;
            }
        } catch (CorruptRecordException | InvalidRecordException | InvalidTimestampException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidRecordException("cannot decompress batch: " + e.getMessage(), e);
        }
        if (index != count) {
            throw new InvalidRecordException("batch declares " + count + " records but holds " + index);
        }
        return maxTimestamp;
    }

    private static void checkRecord(int index, long timestamp, boolean hasKey, LogConfig config, long nowMs) {
        if (config.compact() && !hasKey) {
            throw new InvalidRecordException("compacted topics require a key: record " + index + " has none");
        }
        if (config.timestampType() == TimestampType.CREATE_TIME && timestamp != RecordBatch.NO_TIMESTAMP) {
            long diff = nowMs - timestamp;
            if (diff > config.timestampBeforeMaxMs() || -diff > config.timestampAfterMaxMs()) {
                throw new InvalidTimestampException("record " + index + " timestamp " + timestamp
                        + " is outside [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]"
                        + " around " + nowMs);
            }
        }
    }

    /**
     * Renumbers the batch in place: base offset so that the last offset is {@code firstOffset + count - 1}, the
     * partition leader epoch, and the max timestamp (the broker time under LogAppendTime, else the records' max).
     *
     * @return the batch's max timestamp after assignment (ms)
     */
    public static long assignOffsets(ValidatedBatch validated, long firstOffset, int leaderEpoch,
                                     TimestampType topicTimestampType, long nowMs) {
        MutableRecordBatch batch = validated.batch();
        batch.setLastOffset(firstOffset + validated.count() - 1);
        batch.setPartitionLeaderEpoch(leaderEpoch);
        if (topicTimestampType == TimestampType.LOG_APPEND_TIME) {
            batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            return nowMs;
        }
        batch.setMaxTimestamp(TimestampType.CREATE_TIME, validated.maxTimestamp());
        return validated.maxTimestamp();
    }
}
