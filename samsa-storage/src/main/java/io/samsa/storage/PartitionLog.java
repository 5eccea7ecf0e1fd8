package io.samsa.storage;

import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * One partition's log: an ordered list of segments in {@code <log.dir>/<topic>-<partition>/}, in Kafka's on-disk
 * format (Kafka's {@code UnifiedLog}). Holds the log start offset, log end offset (LEO), high watermark (HW) and the
 * per-producer idempotence state.
 *
 * <p>Thread-safety: appends, flushes and HW updates are serialized by an internal lock; reads run concurrently with
 * appends and see only whole, already appended batches.
 */
public final class PartitionLog {
    PartitionLog() {
    }

    public TopicPartition topicPartition() { throw new UnsupportedOperationException(); }

    public Uuid topicId() { throw new UnsupportedOperationException(); }

    public LogConfig config() { throw new UnsupportedOperationException(); }

    /**
     * Validates {@code records} as Kafka's {@code LogValidator} does for a client produce (magic 2, exactly one batch,
     * baseOffset 0, CRC, record count, timestamps, size, keys on compacted logs, idempotence), assigns offsets in place
     * (header rewrite only), and appends.
     *
     * @param records     the produce request's records for this partition (exactly as received)
     * @param leaderEpoch written into each batch's partitionLeaderEpoch field
     * @return where the batch landed; for an idempotent duplicate, the original offsets and {@code duplicate=true}
     * @throws org.apache.kafka.common.InvalidRecordException         INVALID_RECORD (87)
     * @throws org.apache.kafka.common.errors.CorruptRecordException  CORRUPT_MESSAGE (2)
     * @throws org.apache.kafka.common.errors.RecordTooLargeException MESSAGE_TOO_LARGE (10)
     * @throws org.apache.kafka.common.errors.RecordBatchTooLargeException RECORD_LIST_TOO_LARGE (18)
     * @throws org.apache.kafka.common.errors.InvalidTimestampException INVALID_TIMESTAMP (32)
     * @throws org.apache.kafka.common.errors.OutOfOrderSequenceException OUT_OF_ORDER_SEQUENCE_NUMBER (45)
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException INVALID_PRODUCER_EPOCH (47)
     * @throws org.apache.kafka.common.errors.KafkaStorageException   on an I/O failure
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) { throw new UnsupportedOperationException(); }

    /**
     * Reads whole batches starting with the batch that holds {@code fetchOffset}.
     *
     * @param fetchOffset   first offset wanted
     * @param maxBytes      byte budget; batches past it are left out, except that with {@code minOneMessage} the
     *                      first batch is returned whole even if larger (KIP-74)
     * @param maxOffset     exclusive upper bound, normally the high watermark; nothing at or above it is returned
     * @param minOneMessage return at least one whole batch when any is readable
     * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException when fetchOffset &lt; log start offset or &gt; LEO
     */
    public FetchDataInfo read(long fetchOffset, int maxBytes, long maxOffset, boolean minOneMessage) { throw new UnsupportedOperationException(); }

    /** The first offset still in the log. */
    public long logStartOffset() { throw new UnsupportedOperationException(); }

    /** The offset the next appended record will get (LEO). */
    public long logEndOffset() { throw new UnsupportedOperationException(); }

    /** Offsets below the high watermark are committed and visible to consumers. */
    public long highWatermark() { throw new UnsupportedOperationException(); }

    /** Moves the high watermark forward to {@code offset} (bounded by the LEO); never moves it back. */
    public void updateHighWatermark(long offset) { throw new UnsupportedOperationException(); }

    /**
     * ListOffsets lookup (Kafka's {@code fetchOffsetByTimestamp}): {@code -2} earliest (log start offset),
     * {@code -1} latest (high watermark), {@code -3} the record with the largest timestamp, {@code -4} earliest local,
     * {@code >= 0} the first record whose timestamp is at or after it (time index, then batch scan).
     *
     * @return empty when no record qualifies
     */
    public Optional<FileRecords.TimestampAndOffset> fetchOffsetByTimestamp(long timestamp) { throw new UnsupportedOperationException(); }

    /** Forces every appended byte to disk (fsync of segments and indexes) and advances the recovery point. */
    public void flush() throws IOException { throw new UnsupportedOperationException(); }

    /** Number of segments (for tests and metrics). */
    public int numberOfSegments() { throw new UnsupportedOperationException(); }
}
