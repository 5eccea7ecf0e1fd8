package io.samsa.storage;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the storage failures of one partition (or one log directory's checkpoints) once: the first failed write (with its cause) at ERROR, repeats at
 * DEBUG while the partition keeps failing (a full disk fails every produce), and the first success afterwards at
 * INFO. The produce path answers every failure with KAFKA_STORAGE_ERROR (56) regardless.
 *
 * <p>Thread-safe (used under the log's lock and by the background flusher).
 */
final class StorageFailures {
    private static final Logger LOGGER = LoggerFactory.getLogger(StorageFailures.class);

    private final String subject;
    private final String consequence;
    private volatile String failing;

    /** For one partition log: a failure refuses its writes. */
    StorageFailures(TopicPartition topicPartition) {
        this("topicPartition=" + topicPartition,
                "writes are refused with KAFKA_STORAGE_ERROR until they succeed again, reads go on");
    }

    /**
     * @param subject     what failed, as {@code key=value} (e.g. {@code dir=/var/lib/samsa})
     * @param consequence what a failure means for users, appended to the first ERROR line
     */
    StorageFailures(String subject, String consequence) {
        this.subject = subject;
        this.consequence = consequence;
    }

    /** Records a failed {@code operation} (append, roll, flush, snapshot, close). */
    synchronized void failed(String operation, Throwable cause) {
        if (failing == null) {
            failing = operation;
            LOGGER.error("Storage failure {} operation={} cause={}; {}", subject, operation, describe(cause),
                    consequence);
        } else {
            LOGGER.debug("Storage failure again {} operation={} cause={}", subject, operation, describe(cause));
        }
    }

    /** Records a successful write; logs the recovery when the partition was failing. */
    void succeeded() {
        if (failing != null) {
            synchronized (this) {
                if (failing != null) {
                    LOGGER.info("Storage writes resumed {} after failed {}", subject, failing);
                    failing = null;
                }
            }
        }
    }

    /** True while the last write failed. */
    boolean isFailing() {
        return failing != null;
    }

    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder(String.valueOf(cause));
        for (Throwable c = cause.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append(" <- ").append(c);
        }
        return text.toString();
    }
}
