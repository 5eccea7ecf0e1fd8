package io.samsa.storage.producer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The state of one producer id in one partition (Kafka's {@code ProducerStateEntry}): its current epoch, its last
 * {@value #NUM_BATCHES_TO_RETAIN} batches (to detect retries of already appended batches), and for transactions
 * (KIP-98) the coordinator epoch of its last marker and the first offset of its open transaction.
 *
 * <p>Not thread-safe: owned by a {@link ProducerStateManager}.
 */
public final class ProducerStateEntry {
    /** Batches kept per producer for duplicate detection (Kafka's {@code NUM_BATCHES_TO_RETAIN}). */
    public static final int NUM_BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short producerEpoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN);
    private int coordinatorEpoch = -1;
    private long currentTxnFirstOffset = -1;
    private long lastTimestamp = -1;

    ProducerStateEntry(long producerId, short producerEpoch) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
    }

    /** Epoch of the transaction coordinator that wrote this producer's last marker, or -1. */
    public int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /** First offset of this producer's open transaction in the partition, or -1 when none is open. */
    public long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    /** Timestamp (ms) of the producer's last batch or marker, or -1. */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    void currentTxnFirstOffset(long offset) {
        this.currentTxnFirstOffset = offset;
    }

    /** Records an end-of-transaction marker: the epoch may move up (forgetting the old epoch's batches). */
    void endTransaction(short epoch, int coordinatorEpoch, long timestamp) {
        if (epoch != producerEpoch) {
            batches.clear();
            producerEpoch = epoch;
        }
        this.coordinatorEpoch = coordinatorEpoch;
        this.currentTxnFirstOffset = -1;
        this.lastTimestamp = timestamp;
    }

    /** Restores the transaction fields of a snapshot row. */
    void restore(int coordinatorEpoch, long currentTxnFirstOffset, long lastTimestamp) {
        this.coordinatorEpoch = coordinatorEpoch;
        this.currentTxnFirstOffset = currentTxnFirstOffset;
        this.lastTimestamp = lastTimestamp;
    }

    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    /** Retained batches, oldest first. */
    public List<BatchMetadata> batches() {
        return List.copyOf(batches);
    }

    public Optional<BatchMetadata> lastBatch() {
        return Optional.ofNullable(batches.peekLast());
    }

    /** Last sequence appended under the current epoch, or -1. */
    public int lastSeq() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1 : last.lastSeq();
    }

    /** The retained batch with exactly this epoch and sequence range, if any. */
    public Optional<BatchMetadata> findDuplicate(short epoch, int firstSeq, int lastSeq) {
        if (epoch != producerEpoch) {
            return Optional.empty();
        }
        for (BatchMetadata batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return Optional.of(batch);
            }
        }
        return Optional.empty();
    }

    /** Records an appended batch; a new epoch forgets the batches of the old one. */
    void add(short epoch, BatchMetadata batch) {
        if (epoch != producerEpoch) {
            batches.clear();
            producerEpoch = epoch;
        }
        if (batches.size() == NUM_BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastTimestamp = batch.timestamp();
    }
}
