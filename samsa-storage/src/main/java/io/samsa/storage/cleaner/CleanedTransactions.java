package io.samsa.storage.cleaner;

import io.samsa.storage.txn.AbortedTxn;
import io.samsa.storage.txn.TransactionIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The transactions met while one segment group is cleaned (Kafka's {@code CleanedTransactionMetadata}, KIP-98): which
 * batches belong to an aborted transaction (their records go), and which markers may go once their delete horizon
 * passed: an ABORT marker whose transaction has no batch left, a COMMIT marker whose transaction has no batch in the
 * range. An ABORT marker that is kept, with batches of its transaction still seen, keeps its entry in the cleaned
 * segment's {@code .txnindex}. Batches must be offered in offset order, each once.
 *
 * <p>Not thread-safe: one per segment group.
 */
final class CleanedTransactions {
    private final Deque<AbortedTxn> aborted;
    private final TransactionIndex cleanedIndex;
    /** Producer id to its aborted transaction being traversed; the value holds whether a batch of it was seen. */
    private final Map<Long, Ongoing> ongoingAborted = new HashMap<>();
    private final Set<Long> ongoingCommitted = new HashSet<>();

    private static final class Ongoing {
        final AbortedTxn txn;
        boolean batchSeen;

        Ongoing(AbortedTxn txn) {
            this.txn = txn;
        }
    }

    /**
     * @param abortedTxns  the aborted transactions overlapping the group (any order)
     * @param cleanedIndex the {@code .txnindex} of the cleaned segment; null when nothing is written (the offset map
     *                     pass)
     */
    CleanedTransactions(List<AbortedTxn> abortedTxns, TransactionIndex cleanedIndex) {
        this.aborted = new ArrayDeque<>(abortedTxns.stream().sorted(Comparator.comparingLong(AbortedTxn::firstOffset))
                .toList());
        this.cleanedIndex = cleanedIndex;
    }

    /** @return true when the data batch belongs to an aborted transaction (its records may all go) */
    boolean onDataBatch(RecordBatch batch) {
        consumeAbortedUpTo(batch.lastOffset());
        if (!batch.isTransactional()) {
            return false;
        }
        Ongoing ongoing = ongoingAborted.get(batch.producerId());
        if (ongoing != null) {
            ongoing.batchSeen = true;
            return true;
        }
        ongoingCommitted.add(batch.producerId());
        return false;
    }

    /** @return true when the marker may go (once its delete horizon passed) */
    boolean onControlBatch(RecordBatch batch) {
        consumeAbortedUpTo(batch.lastOffset());
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return true; // emptied by an earlier cleaning
        }
        ControlRecordType type = ControlRecordType.parse(records.next().key());
        long producerId = batch.producerId();
        if (type == ControlRecordType.ABORT) {
            Ongoing ongoing = ongoingAborted.remove(producerId);
            if (ongoing != null && ongoing.batchSeen) {
                if (cleanedIndex != null) {
                    try {
                        cleanedIndex.append(ongoing.txn);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return false;
            }
            return true;
        }
        if (type == ControlRecordType.COMMIT) {
            return !ongoingCommitted.remove(producerId);
        }
        return false;
    }

    private void consumeAbortedUpTo(long offset) {
        while (!aborted.isEmpty() && aborted.peekFirst().firstOffset() <= offset) {
            AbortedTxn txn = aborted.pollFirst();
            ongoingAborted.putIfAbsent(txn.producerId(), new Ongoing(txn));
        }
    }
}
