package io.samsa.broker.replica;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * What one partition of a fetch read.
 *
 * @param error          NONE, or the partition's error (the other fields are then -1 / empty)
 * @param records        whole batches (a file slice sent with sendfile) or empty
 * @param highWatermark  the partition's HW at the time of the read
 * @param logStartOffset the partition's log start offset
 */
public record PartitionReadResult(Errors error, Records records, long highWatermark, long logStartOffset) {

    public static PartitionReadResult error(Errors error) {
        return new PartitionReadResult(error, MemoryRecords.EMPTY, -1L, -1L);
    }

    public int sizeInBytes() {
        return records.sizeInBytes();
    }
}
