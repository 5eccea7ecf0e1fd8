package io.samsa.storage;

/**
 * The high watermark of one {@link PartitionLog} with where it sits on disk (Kafka's {@code highWatermarkMetadata}).
 * It moves forward only ({@link #advanceTo}), back only by a truncation ({@link #truncated}). Below the LEO it may be
 * known by its offset only: the first read it bounds looks its position up and keeps it ({@link #forRead}, Kafka's
 * {@code fetchHighWatermarkMetadata}), so a follower's high watermark, moved by every fetch response, costs no lookup
 * unless consumers read from it.
 *
 * <p>Thread-safety: published in a volatile field and read without locking; changed under a private monitor, not the
 * log's lock (the replica manager moves it and reads position it without that lock; a truncation holds both). The
 * log's LEO is read inside the monitor, so a truncation that lowered it is never undone by a concurrent advance.
 */
final class HighWatermark {
    private final PartitionLog log;
    private final Object monitor = new Object();
    private volatile LogOffsetMetadata current;

    /**
     * @param log     the log whose high watermark this is (for its LEO and segments)
     * @param initial the high watermark the log opens with, positioned
     */
    HighWatermark(PartitionLog log, LogOffsetMetadata initial) {
        this.log = log;
        this.current = initial;
    }

    /** The current high watermark, positioned or not. */
    LogOffsetMetadata current() {
        return current;
    }

    /** See {@link PartitionLog#highWatermark()}. */
    long offset() {
        return current.offset();
    }

    /** See {@link PartitionLog#updateHighWatermark}. */
    void advanceTo(long offset) {
        synchronized (monitor) {
            LogOffsetMetadata end = log.logEnd();
            long target = Math.min(offset, end.offset());
            if (target > current.offset()) {
                current = target == end.offset() ? end : LogOffsetMetadata.offsetOnly(target);
            }
        }
    }

    /**
     * The high watermark as a read from {@code fetchOffset} up to {@code maxOffset} needs it: when the read is bounded
     * by it and it is not positioned yet, its position is looked up, and kept unless it moved meanwhile.
     */
    LogOffsetMetadata forRead(long fetchOffset, long maxOffset) {
        LogOffsetMetadata hw = current;
        if (!hw.positioned() && maxOffset == hw.offset() && fetchOffset < maxOffset) {
            hw = positioned(hw);
        }
        return hw;
    }

    /** Looks up where the high watermark {@code hw} sits, and keeps it when the high watermark has not moved since. */
    private LogOffsetMetadata positioned(LogOffsetMetadata hw) {
        LogOffsetMetadata positioned = positionOf(hw.offset());
        synchronized (monitor) {
            if (current == hw) {
                current = positioned;
            }
        }
        return positioned;
    }

    /**
     * After a truncation to {@code [newLogStart, end)}, whose LEO the log already published (caller holds the log's
     * lock): the high watermark comes down to the LEO if above it, up to the new log start if below it.
     */
    void truncated(long newLogStart, LogOffsetMetadata end) {
        synchronized (monitor) {
            if (current.offset() >= end.offset()) {
                current = end;
            } else if (current.offset() < newLogStart) {
                current = positionOf(newLogStart);
            } // else: below the cut, its segment and position are untouched
        }
    }

    /** Where {@code offset} (at most the LEO) sits: the start of the batch holding it, or the LEO position. */
    private LogOffsetMetadata positionOf(long offset) {
        return LogReader.positionOf(log.segmentList(), log.logEnd(), current, offset);
    }
}
