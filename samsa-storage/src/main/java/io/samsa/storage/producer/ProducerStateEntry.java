package io.samsa.storage.producer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The idempotence state of one producer id in one partition (Kafka's {@code ProducerStateEntry}): its current epoch and
 * its last {@value #NUM_BATCHES_TO_RETAIN} batches, used to detect retries of already appended batches.
 *
 * <p>Not thread-safe: owned by a {@link ProducerStateManager}.
 */
public final class ProducerStateEntry {
    /** Batches kept per producer for duplicate detection (Kafka's {@code NUM_BATCHES_TO_RETAIN}). */
    public static final int NUM_BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short producerEpoch;
    private final Deque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN);

    ProducerStateEntry(long producerId, short producerEpoch) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
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
    }
}
