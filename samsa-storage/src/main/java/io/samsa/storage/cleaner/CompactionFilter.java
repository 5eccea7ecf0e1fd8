package io.samsa.storage.cleaner;

import java.util.Map;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Which records a cleaning keeps (Kafka's {@code LogCleaner.shouldRetainRecord} and batch retention), applied through
 * {@link MemoryRecords#filterTo}, which writes untouched batches byte for byte and re-encodes the others with their
 * base offset, last offset, producer id/epoch/sequence, timestamps and codec preserved.
 *
 * <ul>
 *   <li>a record past the offset map's end is kept (not deduplicated in this pass);</li>
 *   <li>a keyed record is kept iff its offset is at least the map's latest offset for its key; records without a key
 *       are dropped (they cannot be on a compacted log: produce validation rejects them);</li>
 *   <li>a tombstone (null value) is kept until its batch's delete horizon (KIP-534: {@code filterTo} stamps
 *       {@code now + delete.retention.ms} into batches with tombstones on their first clean, attribute bit 6);</li>
 *   <li>the records of an aborted transaction's batches go; a transaction marker stays until nothing of its
 *       transaction is left (ABORT) or none of its batches is in the cleaned range (COMMIT), and then until its delete
 *       horizon ({@code filterTo} stamps it on the first clean that finds it removable), as Kafka's cleaner
 *       ({@link CleanedTransactions});</li>
 *   <li>an emptied batch is kept as an empty header when it is its producer's last batch (idempotence state) or the
 *       last batch of the segment group, so that the cleaned segment ends at the same offset as the group.</li>
 * </ul>
 *
 * <p>Not thread-safe: one per cleaning.
 */
final class CompactionFilter extends MemoryRecords.RecordFilter {
    private final OffsetMap map;
    private final long mapEndOffset;
    private final Map<Long, Long> producerLastOffsets;
    private long groupLastOffset = -1;
    private CleanedTransactions transactions = new CleanedTransactions(List.of(), null);
    /** Whether the records of the batch being filtered all go (aborted data, a removable marker past its horizon). */
    private boolean discardBatchRecords;
    private long minRetainedHorizonMs = Long.MAX_VALUE;
    private long tombstonesDropped;

    /**
     * @param nowMs               the cleaning's time (ms)
     * @param deleteRetentionMs   {@code delete.retention.ms}
     * @param map                 key digest to latest offset over the dirty range
     * @param mapEndOffset        exclusive end of the range the map covers
     * @param producerLastOffsets each producer's last appended offset
     */
    CompactionFilter(long nowMs, long deleteRetentionMs, OffsetMap map, long mapEndOffset,
                     Map<Long, Long> producerLastOffsets) {
        super(nowMs, deleteRetentionMs);
        this.map = map;
        this.mapEndOffset = mapEndOffset;
        this.producerLastOffsets = producerLastOffsets;
    }

    /** The last offset of the segment group being cleaned: its batch survives, possibly empty. */
    void groupLastOffset(long offset) {
        this.groupLastOffset = offset;
    }

    /** The transactions of the segment group being cleaned (set before each group). */
    void transactions(CleanedTransactions groupTransactions) {
        this.transactions = groupTransactions;
    }

    /** The earliest delete horizon of a tombstone kept (ms), or Long.MAX_VALUE when none was kept. */
    long minRetainedHorizonMs() {
        return minRetainedHorizonMs;
    }

    long tombstonesDropped() {
        return tombstonesDropped;
    }

    @Override
    protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
        boolean canDiscard = batch.isControlBatch() ? transactions.onControlBatch(batch)
                : transactions.onDataBatch(batch);
        if (batch.isControlBatch()) {
            OptionalLong horizon = batch.deleteHorizonMs();
            discardBatchRecords = canDiscard && horizon.isPresent() && horizon.getAsLong() <= currentTime;
        } else {
            discardBatchRecords = canDiscard;
        }
        boolean producersLast = batch.hasProducerId() && Long.valueOf(batch.lastOffset())
                .equals(producerLastOffsets.get(batch.producerId()));
        BatchRetention retention;
        if (producersLast || batch.lastOffset() == groupLastOffset) {
            retention = BatchRetention.RETAIN_EMPTY;
        } else if (discardBatchRecords) {
            retention = BatchRetention.DELETE;
        } else {
            retention = batch.isControlBatch() ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY;
        }
        // a removable marker gets its delete horizon stamped (KIP-534) and goes on a later cleaning
        return new BatchRetentionResult(retention, canDiscard && batch.isControlBatch());
    }

    @Override
    protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
        if (discardBatchRecords) {
            return false;
        }
        if (batch.isControlBatch() || record.offset() >= mapEndOffset) {
            return true;
        }
        if (!record.hasKey()) {
            return false;
        }
        if (record.offset() < map.get(record.key())) {
            return false;
        }
        if (record.hasValue()) {
            return true;
        }
        OptionalLong horizon = batch.deleteHorizonMs();
        if (horizon.isPresent() && currentTime >= horizon.getAsLong()) {
            tombstonesDropped++;
            return false;
        }
        minRetainedHorizonMs = Math.min(minRetainedHorizonMs,
                horizon.isPresent() ? horizon.getAsLong() : currentTime + deleteRetentionMs);
        return true;
    }
}
