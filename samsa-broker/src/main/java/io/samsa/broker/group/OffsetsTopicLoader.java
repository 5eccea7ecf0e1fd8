package io.samsa.broker.group;

import io.samsa.broker.group.record.CoordinatorRecord;
import io.samsa.broker.group.record.RecordCodec;
import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.PartitionLog;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a shard from its {@code __consumer_offsets} partition: reads the log from the log start offset to the log
 * end offset in chunks of {@code offsets.load.buffer.size} (5 MiB) and replays every record in order. Control batches
 * are skipped, and so are records that do not decode (logged once each), so that one bad record cannot stop a
 * coordinator from loading.
 */
public final class OffsetsTopicLoader {
    private static final Logger LOGGER = LoggerFactory.getLogger(OffsetsTopicLoader.class);
    private static final int CHUNK_BYTES = 5 * 1024 * 1024;

    private OffsetsTopicLoader() {
    }

    /**
     * Replays the partition into {@code shard}; runs on the shard's executor before it is marked loaded.
     *
     * @return the number of records replayed
     */
    public static long load(PartitionLog log, GroupCoordinatorShard shard) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        long replayed = 0;
        while (offset < end) {
            FetchDataInfo data = log.read(offset, CHUNK_BYTES, end, true);
            long next = offset;
            for (RecordBatch batch : data.records().batches()) {
                next = batch.nextOffset();
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() < offset || !record.hasKey()) {
                        continue;
                    }
                    try {
                        CoordinatorRecord r = RecordCodec.decode(record.key(), record.hasValue() ? record.value() : null);
                        if (r != null) {
                            shard.replay(r);
                            replayed++;
                        }
                    } catch (RuntimeException e) {
                        LOGGER.warn("Skipping undecodable record at offset {} of {}: {}", record.offset(),
                                log.topicPartition(), e.toString());
                    }
                }
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        return replayed;
    }
}
