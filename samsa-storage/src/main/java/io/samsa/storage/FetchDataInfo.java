package io.samsa.storage;

import org.apache.kafka.common.record.internal.Records;

/**
 * What a read returned.
 *
 * @param fetchOffset the offset that was asked for
 * @param records     whole batches starting with the one holding {@code fetchOffset}; a {@code FileRecords} slice
 *                    (sent with sendfile, never copied to the heap) or {@code MemoryRecords.EMPTY}
 */
public record FetchDataInfo(long fetchOffset, Records records) {
}
