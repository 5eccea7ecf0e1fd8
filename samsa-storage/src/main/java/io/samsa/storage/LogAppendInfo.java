package io.samsa.storage;

/**
 * The outcome of one append.
 *
 * @param firstOffset    offset given to the first record of the batch (for a duplicate: the original one)
 * @param lastOffset     offset given to the last record of the batch
 * @param logAppendTimeMs the broker time stamped into the batch under LogAppendTime, else -1
 * @param logStartOffset the log start offset after the append
 * @param recordCount    number of records appended (0 for a duplicate)
 * @param duplicate      true when the batch was an idempotent retry already in the log: nothing was written
 * @param awaitFlush     true when {@code flush.messages} requires the batch on disk before it is acknowledged:
 *                       acknowledge once {@link PartitionLog#flushedTo}{@code (lastOffset + 1)} completes
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset,
                            int recordCount, boolean duplicate, boolean awaitFlush) {

    /** An append that needs no fsync before its acknowledgement. */
    public LogAppendInfo(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset,
                         int recordCount, boolean duplicate) {
        this(firstOffset, lastOffset, logAppendTimeMs, logStartOffset, recordCount, duplicate, false);
    }
}
