package io.samsa.storage.producer;

import io.samsa.storage.segment.SegmentFiles;
import io.samsa.storage.txn.VerificationGuard;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-partition producer state (Kafka's {@code ProducerStateManager}, KIP-98/KIP-360): for each producer id, its
 * epoch and last {@value ProducerStateEntry#NUM_BATCHES_TO_RETAIN} batches, the coordinator epoch of its last
 * transaction marker and the first offset of its open transaction; and the open transactions of the partition in
 * first-offset order (the first unstable offset). Detects duplicates (retries of a retained batch), stale epochs,
 * sequence gaps and fenced markers; persists itself as Kafka-format {@code .snapshot} files named by the log end
 * offset they cover.
 *
 * <p>Not thread-safe: owned by one {@code PartitionLog} and used under its append lock.
 */
public final class ProducerStateManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOTS_TO_KEEP = 2;

    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Open transactions: first offset to producer id (Kafka's {@code ongoingTxns}). */
    private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();
    /** Producers whose transaction a leader is verifying here (KIP-890), not persisted: leader-side only. */
    private final Map<Long, VerificationGuard> verifications = new HashMap<>();

    public ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    public Optional<ProducerStateEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    public int producerCount() {
        return producers.size();
    }

    /**
     * Checks an idempotent batch against the producer's state before it is appended.
     *
     * @return the original batch when this one is a retry of a retained batch (same epoch and sequence range)
     * @throws InvalidProducerEpochException when the epoch is below the producer's current one
     * @throws OutOfOrderSequenceException   when a new epoch does not start at sequence 0 or the sequence does not
     *                                       follow the last one (wrapping Integer.MAX_VALUE to 0)
     */
    public Optional<BatchMetadata> check(long producerId, short epoch, int firstSeq, int lastSeq) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return Optional.empty(); // unknown producer: any sequence is accepted (KIP-360)
        }
        Optional<BatchMetadata> duplicate = entry.findDuplicate(epoch, firstSeq, lastSeq);
        if (duplicate.isPresent()) {
            return duplicate;
        }
        if (epoch < entry.producerEpoch()) {
            throw new InvalidProducerEpochException("producer " + producerId + " epoch " + epoch
                    + " is older than current epoch " + entry.producerEpoch());
        }
        if (epoch != entry.producerEpoch()) {
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException("producer " + producerId + " new epoch " + epoch
                        + " must start at sequence 0, got " + firstSeq);
            }
        } else if (!inSequence(entry.lastSeq(), firstSeq)) {
            throw new OutOfOrderSequenceException("producer " + producerId + " epoch " + epoch + ": sequence "
                    + firstSeq + " does not follow " + entry.lastSeq());
        }
        return Optional.empty();
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /**
     * Checks the epoch of a data batch appended by a coordinator (no sequence checks, Kafka's {@code COORDINATOR}
     * origin).
     *
     * @throws InvalidProducerEpochException when {@code epoch} is below the producer's current one
     */
    public void checkEpoch(long producerId, short epoch) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && epoch < entry.producerEpoch()) {
            throw new InvalidProducerEpochException("producer " + producerId + " epoch " + epoch
                    + " is older than current epoch " + entry.producerEpoch());
        }
    }

    /**
     * Checks that a data batch fits the producer's transaction state.
     *
     * @throws InvalidTxnStateException a non-transactional batch while the producer has a transaction open
     */
    public void checkTransactionState(long producerId, boolean transactional) {
        ProducerStateEntry entry = producers.get(producerId);
        if (!transactional && entry != null && entry.currentTxnFirstOffset() >= 0) {
            throw new InvalidTxnStateException("expected a transactional batch from producer " + producerId
                    + ": its transaction from offset " + entry.currentTxnFirstOffset() + " is open");
        }
    }

    /**
     * Checks a COMMIT/ABORT marker before it is appended (Kafka's {@code appendEndTxnMarker} checks).
     *
     * @throws InvalidProducerEpochException         INVALID_PRODUCER_EPOCH: the marker's producer epoch is older
     * @throws TransactionCoordinatorFencedException TRANSACTION_COORDINATOR_FENCED: its coordinator epoch is older
     */
    public void checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        checkEpoch(producerId, epoch);
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && coordinatorEpoch < entry.coordinatorEpoch()) {
            throw new TransactionCoordinatorFencedException("marker of producer " + producerId
                    + " has coordinator epoch " + coordinatorEpoch + ", older than " + entry.coordinatorEpoch());
        }
    }

    /**
     * Starts (or joins) the verification of producer {@code producerId}'s transaction at {@code epoch} before its
     * first transactional batch is appended here (Kafka's {@code maybeStartTransactionVerification}, KIP-890).
     *
     * @return {@link VerificationGuard#SENTINEL} when the transaction is already open here (nothing to verify), else
     *         the guard the append must carry
     */
    public VerificationGuard startVerification(long producerId, short epoch) {
        if (hasOngoingTransaction(producerId, epoch)) {
            return VerificationGuard.SENTINEL;
        }
        VerificationGuard current = verifications.get(producerId);
        if (current == null || current.producerEpoch() != epoch) {
            current = VerificationGuard.of(producerId, epoch);
            verifications.put(producerId, current);
        }
        return current;
    }

    /**
     * Checks a client's transactional batch against the verification it went through (Kafka's
     * {@code batchMissingRequiredVerification}): when its transaction is not open here, the batch must carry the guard
     * this log still holds for the producer.
     *
     * @param guard null when the append needs no verification (none configured, or not a client append)
     * @throws InvalidTxnStateException the transaction ended (its marker was appended) since the verification started,
     *                                  or no verification was started for it
     */
    public void checkVerification(long producerId, short epoch, boolean transactional, VerificationGuard guard) {
        if (guard == null || !transactional || hasOngoingTransaction(producerId, epoch)) {
            return;
        }
        if (guard == VerificationGuard.SENTINEL || verifications.get(producerId) != guard) {
            throw new InvalidTxnStateException("The transaction of producer " + producerId + " at epoch " + epoch
                    + " is not verified for this partition: it ended since, or was never verified (KIP-890)");
        }
    }

    /**
     * Forgets the producers idle for {@code producer.id.expiration.ms} (Kafka's {@code removeExpiredProducers}): no
     * transaction open here and the last batch or marker timestamp at least {@code expirationMs} before {@code nowMs}.
     * Their next batch is then accepted at any sequence, as for an unknown producer (KIP-360).
     *
     * @return how many were removed
     */
    public int removeExpiredProducers(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(e -> e.currentTxnFirstOffset() < 0 && e.lastTimestamp() >= 0
                && nowMs - e.lastTimestamp() >= expirationMs);
        verifications.keySet().retainAll(producers.keySet());
        return before - producers.size();
    }

    /** Records a non-transactional batch that was appended (or replayed from the log). */
    public void update(long producerId, short epoch, BatchMetadata batch) {
        update(producerId, epoch, batch, false);
    }

    /**
     * Records a batch that was appended (or replayed from the log); a transactional batch of a producer without an
     * open transaction opens one at the batch's first offset.
     */
    public void update(long producerId, short epoch, BatchMetadata batch, boolean transactional) {
        ProducerStateEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        entry.add(epoch, batch);
        if (transactional && entry.currentTxnFirstOffset() < 0) {
            entry.currentTxnFirstOffset(batch.firstOffset());
            ongoingTxns.put(batch.firstOffset(), producerId);
            verifications.remove(producerId); // the open transaction is the proof from now on
        }
    }

    /**
     * Records a COMMIT or ABORT marker appended at {@code markerOffset} (checked by {@link #checkMarker} first, or
     * replayed): closes the producer's open transaction.
     *
     * @return the closed transaction, empty when the producer had none open here (a marker for a transaction that
     *         wrote nothing to this partition)
     */
    public Optional<CompletedTxn> endTransaction(long producerId, short epoch, int coordinatorEpoch,
                                                 long markerOffset, boolean abort, long timestamp) {
        ProducerStateEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        long first = entry.currentTxnFirstOffset();
        Optional<CompletedTxn> completed = Optional.empty();
        if (first >= 0) {
            long lastStable = markerOffset + 1;
            for (Map.Entry<Long, Long> open : ongoingTxns.entrySet()) {
                if (open.getValue() != producerId) {
                    lastStable = open.getKey();
                    break;
                }
            }
            completed = Optional.of(new CompletedTxn(producerId, first, markerOffset, abort, lastStable));
            ongoingTxns.remove(first);
        }
        entry.endTransaction(epoch, coordinatorEpoch, timestamp);
        verifications.remove(producerId); // a verification started before this marker is stale
        return completed;
    }

    /**
     * Replays one batch read from the log (recovery, a follower's append): no checks, as Kafka for the replication
     * origin.
     *
     * @return the transaction a marker closed
     */
    public Optional<CompletedTxn> replay(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        if (batch.isControlBatch()) {
            Iterator<Record> records = batch.iterator();
            if (!records.hasNext()) {
                return Optional.empty(); // a control batch emptied by the cleaner
            }
            Record record = records.next();
            ControlRecordType type = ControlRecordType.parse(record.key());
            if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
                return Optional.empty();
            }
            EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
            return endTransaction(batch.producerId(), batch.producerEpoch(), marker.coordinatorEpoch(),
                    batch.baseOffset(), type == ControlRecordType.ABORT, record.timestamp());
        }
        update(batch.producerId(), batch.producerEpoch(), new BatchMetadata(batch.baseSequence(),
                batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp()),
                batch.isTransactional());
        return Optional.empty();
    }

    /** First offset of the oldest open transaction, or -1 when none is open. */
    public long firstOngoingTxnOffset() {
        return ongoingTxns.isEmpty() ? -1 : ongoingTxns.firstKey();
    }

    /** True when {@code producerId} has a transaction open here at epoch {@code epoch}. */
    public boolean hasOngoingTransaction(long producerId, short epoch) {
        ProducerStateEntry entry = producers.get(producerId);
        return entry != null && entry.producerEpoch() == epoch && entry.currentTxnFirstOffset() >= 0;
    }

    /** Every producer's state (live entries: read under the owner's lock). */
    public Collection<ProducerStateEntry> entries() {
        return producers.values();
    }

    /** Each producer's last appended offset (producer id to offset). */
    public Map<Long, Long> lastOffsets() {
        Map<Long, Long> result = new HashMap<>();
        for (ProducerStateEntry entry : producers.values()) {
            entry.lastBatch().ifPresent(b -> result.put(entry.producerId(), b.lastOffset()));
        }
        return result;
    }

    /** Forgets every producer and open transaction (before a replay from scratch). */
    public void clear() {
        producers.clear();
        ongoingTxns.clear();
        verifications.clear();
    }

    /** Writes {@code <offset>.snapshot} covering the log up to {@code offset} (exclusive) and prunes old snapshots. */
    public void takeSnapshot(long offset) throws IOException {
        List<ProducerSnapshotFile.Row> rows = new ArrayList<>(producers.size());
        for (ProducerStateEntry entry : producers.values()) {
            rows.add(new ProducerSnapshotFile.Row(entry.producerId(), entry.producerEpoch(),
                    entry.lastBatch().orElse(null), entry.coordinatorEpoch(), entry.currentTxnFirstOffset(),
                    entry.lastTimestamp()));
        }
        ProducerSnapshotFile.write(SegmentFiles.snapshotFile(dir, offset), rows);
        TreeMap<Long, File> snapshots = listSnapshots();
        while (snapshots.size() > SNAPSHOTS_TO_KEEP) {
            Files.deleteIfExists(snapshots.pollFirstEntry().getValue().toPath());
        }
    }

    /**
     * Loads the newest readable snapshot at or below {@code logEndOffset}, dropping producers whose last offset is
     * below {@code logStartOffset}. Snapshots above the log end (left by a truncated tail) and unreadable ones are
     * deleted.
     *
     * @return the offset the loaded snapshot covers (replay the log from there), or empty when none was loaded
     */
    public Optional<Long> loadLatestSnapshot(long logStartOffset, long logEndOffset) throws IOException {
        clear();
        TreeMap<Long, File> snapshots = listSnapshots();
        for (Long offset : List.copyOf(snapshots.descendingKeySet())) {
            File file = snapshots.get(offset);
            if (offset > logEndOffset) {
                Files.deleteIfExists(file.toPath());
                continue;
            }
            try {
                for (ProducerSnapshotFile.Row row : ProducerSnapshotFile.read(file)) {
                    restore(row, logStartOffset);
                }
                return Optional.of(offset);
            } catch (CorruptRecordException e) {
                LOGGER.warn("Deleting unreadable producer snapshot file={} reason={}", file, e.getMessage());
                clear();
                Files.deleteIfExists(file.toPath());
            }
        }
        return Optional.empty();
    }

    private void restore(ProducerSnapshotFile.Row row, long logStartOffset) {
        boolean open = row.currentTxnFirstOffset() >= 0;
        if (row.last() != null && row.last().lastOffset() < logStartOffset && !open) {
            return; // everything it wrote is gone
        }
        ProducerStateEntry entry = new ProducerStateEntry(row.producerId(), row.epoch());
        if (row.last() != null) {
            entry.add(row.epoch(), row.last());
        }
        entry.restore(row.coordinatorEpoch(), row.currentTxnFirstOffset(), row.lastTimestamp());
        producers.put(row.producerId(), entry);
        if (open) {
            ongoingTxns.put(row.currentTxnFirstOffset(), row.producerId());
        }
    }

    /** Deletes every snapshot file. */
    public void deleteSnapshots() throws IOException {
        for (File file : listSnapshots().values()) {
            Files.deleteIfExists(file.toPath());
        }
    }

    private TreeMap<Long, File> listSnapshots() throws IOException {
        TreeMap<Long, File> snapshots = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(SegmentFiles.SNAPSHOT_SUFFIX)) {
                    long offset = SegmentFiles.offsetFromFileName(name);
                    if (offset >= 0) {
                        snapshots.put(offset, p.toFile());
                    }
                }
            });
        }
        return snapshots;
    }
}
