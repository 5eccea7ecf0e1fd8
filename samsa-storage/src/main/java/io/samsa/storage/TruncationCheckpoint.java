package io.samsa.storage;

import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * Whether one log's truncations are durable in its directory's checkpoints (Kafka's {@code LogManager.truncateTo},
 * KIP-101/279). A truncation that removed data marks it due once the recovery point came down; a checkpoint write of
 * the directory ({@link LogManager}) clears every due mark there before it reads the recovery points, and puts them
 * back if it fails. Until it is written, a power loss could make recovery trust a recovery point above the truncation
 * and bring removed segments back above new data, so appends above a due truncation are refused.
 *
 * <p>Thread-safe: the mark and the writer are volatile; {@link #write} runs the writer, which takes the log manager's
 * monitor, so call it without the log's lock.
 */
final class TruncationCheckpoint {
    private final TopicPartition topicPartition;
    private volatile boolean due;
    /** Writes the directory's checkpoints, false when that failed; outside a {@link LogManager}, nothing to write. */
    private volatile BooleanSupplier writer = () -> {
        due = false;
        return true;
    };

    TruncationCheckpoint(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    /** A truncation removed data and lowered the recovery point: a write that clears the mark covers it. */
    void markDue() {
        due = true;
    }

    boolean isDue() {
        return due;
    }

    /** A checkpoint write is about to read the recovery points: it covers every truncation done so far. */
    void covered() {
        due = false;
    }

    /** The write that was to cover the truncation failed: it is due again. */
    void failed() {
        due = true;
    }

    /** What {@link #write} runs when a checkpoint is due: {@link LogManager} writes the directory. */
    void writeWith(BooleanSupplier writer) {
        this.writer = writer;
    }

    /** Writes the checkpoints if due (a volatile read otherwise); false when a write was due and failed. */
    boolean write() {
        return !due || writer.getAsBoolean();
    }

    /**
     * Before an append: writes a due checkpoint.
     *
     * @throws KafkaStorageException when the write failed: no append goes above an unrecorded truncation
     */
    void beforeAppend() {
        if (!write()) {
            throw new KafkaStorageException("The checkpoint of a truncation of " + topicPartition + " could not be "
                    + "written: appends above it are refused until it is");
        }
    }
}
