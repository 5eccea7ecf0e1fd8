package io.samsa.broker.txn;

import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.PartitionLog;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a {@link TxnShard} from its {@code __transaction_state} partition (Kafka's
 * {@code loadTransactionsForTxnTopicPartition}): reads from the log start offset to the log end offset in chunks of
 * {@code transaction.state.log.load.buffer.size} (5 MiB) and replays every record in order, the last state of each
 * id winning and tombstones removing it. Records that do not decode are logged and skipped.
 */
public final class TransactionLogLoader {
    private static final Logger LOGGER = LoggerFactory.getLogger(TransactionLogLoader.class);
    private static final int CHUNK_BYTES = 5 * 1024 * 1024;

    private TransactionLogLoader() {
    }

    /**
     * Replays the partition into {@code shard}; runs on the shard's executor before it is marked loaded.
     *
     * @return the number of records replayed
     */
    public static long load(PartitionLog log, TxnShard shard) {
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
                        TransactionLogCodec.Entry e = TransactionLogCodec.decode(record.key(),
                                record.hasValue() ? record.value() : null);
                        if (e != null) {
                            shard.replay(e.transactionalId(), e.value());
                            replayed++;
                        }
                    } catch (RuntimeException ex) {
                        LOGGER.warn("Skipping undecodable record at offset {} of {}: {}", record.offset(),
                                log.topicPartition(), ex.toString());
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
