package io.samsa.storage;

import io.samsa.storage.producer.BatchMetadata;
import io.samsa.storage.producer.CompletedTxn;
import io.samsa.storage.producer.ProducerStateEntry;
import io.samsa.storage.producer.ProducerStateManager;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import io.samsa.storage.txn.AbortedTxn;
import io.samsa.storage.txn.TransactionIndex;
import io.samsa.storage.txn.VerificationGuard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The transactional side of a {@link PartitionLog} append (Kafka's {@code ProducerAppendInfo} checks and
 * {@code UnifiedLog.collectAbortedTransactions}, KIP-98): producer checks by {@link AppendOrigin}, producer-state
 * updates for data batches and COMMIT/ABORT markers, and the {@code .txnindex} entry of an aborted transaction, written
 * to the segment that holds its marker.
 *
 * <p>Stateless: callers hold the log's lock for the producer-state methods.
 */
final class LogTransactions {
    private LogTransactions() {
    }

    /**
     * The end-transaction marker of a control batch (null for a data batch).
     *
     * @throws InvalidRecordException when the control batch holds no COMMIT/ABORT marker
     */
    static EndTransactionMarker markerOf(RecordBatch batch) {
        if (!batch.isControlBatch()) {
            return null;
        }
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            throw new InvalidRecordException("control batch without a record");
        }
        Record record = records.next();
        ControlRecordType type = ControlRecordType.parse(record.key());
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new InvalidRecordException("control batch of type " + type + " is not a transaction marker");
        }
        return EndTransactionMarker.deserialize(record);
    }

    /**
     * Checks a leader append before it is written (caller holds the lock): markers by producer and coordinator epoch;
     * data batches by epoch, sequence ({@link AppendOrigin#CLIENT} only), transaction state and, when the leader
     * verified the transaction (KIP-890), its {@link VerificationGuard} (after duplicate detection, as Kafka: a retry
     * of an appended batch still succeeds).
     *
     * @param guard null when the append needs no verification
     * @return the original of an idempotent duplicate
     */
    static Optional<BatchMetadata> check(ProducerStateManager producers, RecordBatch batch, EndTransactionMarker marker,
                                         AppendOrigin origin, VerificationGuard guard) {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        if (marker != null) {
            producers.checkMarker(batch.producerId(), batch.producerEpoch(), marker.coordinatorEpoch());
            return Optional.empty();
        }
        if (origin == AppendOrigin.CLIENT) {
            Optional<BatchMetadata> duplicate = producers.check(batch.producerId(), batch.producerEpoch(),
                    batch.baseSequence(), batch.lastSequence());
            if (duplicate.isPresent()) {
                return duplicate;
            }
        } else {
            producers.checkEpoch(batch.producerId(), batch.producerEpoch());
        }
        producers.checkTransactionState(batch.producerId(), batch.isTransactional());
        if (origin == AppendOrigin.CLIENT) {
            producers.checkVerification(batch.producerId(), batch.producerEpoch(), batch.isTransactional(), guard);
        }
        return Optional.empty();
    }

    /**
     * Records a batch appended as leader at [{@code firstOffset}, {@code lastOffset}] in {@code segment} (caller holds
     * the lock) and indexes the transaction an ABORT marker closed.
     *
     * @return the transaction a marker closed
     */
    static Optional<CompletedTxn> appended(ProducerStateManager producers, LogSegment segment, RecordBatch batch,
                                           EndTransactionMarker marker, long firstOffset, long lastOffset,
                                           long maxTimestamp) throws IOException {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        if (marker != null) {
            Optional<CompletedTxn> completed = producers.endTransaction(batch.producerId(), batch.producerEpoch(),
                    marker.coordinatorEpoch(), firstOffset, marker.controlType() == ControlRecordType.ABORT,
                    maxTimestamp);
            if (completed.isPresent()) {
                index(segment, completed.get());
            }
            return completed;
        }
        producers.update(batch.producerId(), batch.producerEpoch(), new BatchMetadata(batch.baseSequence(),
                batch.lastSequence(), firstOffset, lastOffset, maxTimestamp), batch.isTransactional());
        return Optional.empty();
    }

    /** Appends an aborted transaction to the {@code .txnindex} of the segment holding its marker. */
    static void index(LogSegment segment, CompletedTxn completed) throws IOException {
        if (completed.aborted()) {
            segment.txnIndex().append(new AbortedTxn(completed.producerId(), completed.firstOffset(),
                    completed.lastOffset(), completed.lastStableOffset()));
        }
    }

    /** See {@link PartitionLog#activeProducers()} (caller holds the lock). */
    static List<ActiveProducer> activeProducers(ProducerStateManager producers) {
        List<ActiveProducer> result = new ArrayList<>(producers.producerCount());
        for (ProducerStateEntry entry : producers.entries()) {
            result.add(new ActiveProducer(entry.producerId(), entry.producerEpoch(), entry.lastSeq(),
                    entry.lastTimestamp(), entry.coordinatorEpoch(), entry.currentTxnFirstOffset()));
        }
        result.sort(Comparator.comparingLong(ActiveProducer::producerId));
        return List.copyOf(result);
    }

    /** See {@link PartitionLog#collectAbortedTransactions}. Lock-free. */
    static List<AbortedTxn> collect(LogSegments segments, long startOffset, long upperBoundOffset) {
        List<AbortedTxn> result = new ArrayList<>();
        LogSegment first = segments.floor(startOffset).orElse(null);
        List<LogSegment> candidates = first == null ? segments.from(startOffset) : segments.from(first.baseOffset());
        try {
            for (LogSegment segment : candidates) {
                TransactionIndex.SearchResult found = segment.txnIndex().collect(startOffset, upperBoundOffset);
                result.addAll(found.aborted());
                if (found.complete()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new KafkaStorageException("reading the transaction index failed: " + e.getMessage(), e);
        }
        return result;
    }
}
