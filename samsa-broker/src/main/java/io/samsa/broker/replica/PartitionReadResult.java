package io.samsa.broker.replica;

import io.samsa.storage.txn.AbortedTxn;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * What one partition of a fetch read.
 *
 * @param error                NONE, or the partition's error (the other fields are then -1 / empty)
 * @param records              whole batches (a file slice sent with sendfile) or empty
 * @param highWatermark        the partition's HW at the time of the read
 * @param logStartOffset       the partition's log start offset
 * @param lastStableOffset     the partition's last stable offset at the time of the read (KIP-98)
 * @param abortedTransactions  for a {@code read_committed} read, the aborted transactions overlapping the range read
 *                             (empty when none); null for {@code read_uncommitted} and followers
 */
public record PartitionReadResult(Errors error, Records records, long highWatermark, long logStartOffset,
                                  long lastStableOffset, List<AbortedTxn> abortedTransactions) {

    /** A read without transactions in view: the last stable offset is the high watermark. */
    public PartitionReadResult(Errors error, Records records, long highWatermark, long logStartOffset) {
        this(error, records, highWatermark, logStartOffset, highWatermark, null);
    }

    public static PartitionReadResult error(Errors error) {
        return new PartitionReadResult(error, MemoryRecords.EMPTY, -1L, -1L);
    }

    public int sizeInBytes() {
        return records.sizeInBytes();
    }
}
