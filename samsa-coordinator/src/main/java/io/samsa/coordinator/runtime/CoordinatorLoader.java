package io.samsa.coordinator.runtime;

import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.PartitionLog;
import java.util.Iterator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a shard from its internal-topic partition (Kafka's {@code CoordinatorLoaderImpl}): reads the log from the
 * log start offset to the log end offset in chunks of 5 MiB ({@code offsets.load.buffer.size},
 * {@code transaction.state.log.load.buffer.size}) and replays every record in order. Records of transactional
 * batches are handed over with their producer id and stay pending in the shard until their control batch (COMMIT or
 * ABORT marker) is replayed; other control records are skipped, and so are records that do not decode (logged once
 * each), so that one bad record cannot stop a coordinator from loading. Stateless.
 */
public final class CoordinatorLoader {
    private static final Logger LOGGER = LoggerFactory.getLogger(CoordinatorLoader.class);
    private static final int CHUNK_BYTES = 5 * 1024 * 1024;

    private CoordinatorLoader() {
    }

    /**
     * Replays the partition into {@code shard}; runs on the shard's executor before it is marked loaded.
     *
     * @return the number of records and markers replayed
     */
    public static <R> long load(PartitionLog log, RecordSerde<R> serde, CoordinatorShard<R> shard) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        long replayed = 0;
        while (offset < end) {
            FetchDataInfo data = log.read(offset, CHUNK_BYTES, end, true);
            long[] next = {offset};
            replayed += replay(data.records().batches(), offset, serde, shard, log.topicPartition(), next);
            if (next[0] <= offset) {
                break;
            }
            offset = next[0];
        }
        return replayed;
    }

    /**
     * Replays {@code batches} from {@code fromOffset} on: the records of a transactional batch as pending records of
     * its producer, a control batch as the end of its producer's transaction (COMMIT or ABORT marker, KIP-98).
     *
     * @param next receives the offset after the last batch read (element 0)
     * @return the number of records and markers replayed
     */
    public static <R> long replay(Iterable<? extends RecordBatch> batches, long fromOffset, RecordSerde<R> serde,
                                  CoordinatorShard<R> shard, TopicPartition tp, long[] next) {
        long replayed = 0;
        for (RecordBatch batch : batches) {
            next[0] = batch.nextOffset();
            if (batch.isControlBatch()) {
                replayed += replayMarker(batch, shard, tp);
                continue;
            }
            long producerId = batch.isTransactional() ? batch.producerId() : RecordBatch.NO_PRODUCER_ID;
            for (Record record : batch) {
                if (record.offset() < fromOffset || !record.hasKey()) {
                    continue;
                }
                try {
                    R r = serde.decode(record.key(), record.hasValue() ? record.value() : null);
                    if (r != null) {
                        shard.replay(r, producerId);
                        replayed++;
                    }
                } catch (RuntimeException e) {
                    LOGGER.warn("Skipping undecodable record at offset {} of {}: {}", record.offset(), tp,
                            e.toString());
                }
            }
        }
        return replayed;
    }

    private static int replayMarker(RecordBatch batch, CoordinatorShard<?> shard, TopicPartition tp) {
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return 0;
        }
        Record record = records.next();
        try {
            ControlRecordType type = ControlRecordType.parse(record.key());
            switch (type) {
                case COMMIT -> shard.replayEndTransaction(batch.producerId(), TransactionResult.COMMIT);
                case ABORT -> shard.replayEndTransaction(batch.producerId(), TransactionResult.ABORT);
                default -> {
                    return 0; // e.g. a leader-change control record: nothing for the coordinator
                }
            }
            return 1;
        } catch (RuntimeException e) {
            LOGGER.warn("Skipping undecodable control record at offset {} of {}: {}", record.offset(), tp,
                    e.toString());
            return 0;
        }
    }
}
