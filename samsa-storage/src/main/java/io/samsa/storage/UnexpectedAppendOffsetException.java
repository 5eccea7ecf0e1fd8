package io.samsa.storage;

import org.apache.kafka.common.KafkaException;

/**
 * A follower append ({@link PartitionLog#appendAsFollower}) whose first offset is below the log end offset (Kafka's
 * {@code UnexpectedAppendOffsetException}, which kafka-clients does not ship). The replica fetcher handles it as
 * Kafka's does: when the local log is empty it restarts it at {@link #firstOffset()}
 * ({@link PartitionLog#truncateFullyAndStartAt}), otherwise the partition's fetch fails.
 */
public final class UnexpectedAppendOffsetException extends KafkaException {
    private final long firstOffset;
    private final long lastOffset;

    public UnexpectedAppendOffsetException(String message, long firstOffset, long lastOffset) {
        super(message);
        this.firstOffset = firstOffset;
        this.lastOffset = lastOffset;
    }

    /** The base offset of the first batch of the rejected append. */
    public long firstOffset() {
        return firstOffset;
    }

    /** The last offset of the rejected append. */
    public long lastOffset() {
        return lastOffset;
    }
}
