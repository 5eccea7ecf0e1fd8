package io.samsa.storage;

import io.samsa.storage.segment.LogSegment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delayed deletion of segments that left a log (retention, DeleteRecords, a cleaner swap), as Kafka's
 * {@code file.delete.delay.ms}: the caller has already removed the segment from its log and renamed its files to
 * {@code .deleted}; this class closes and deletes them once the delay has passed. Until then the segment's channel and
 * index mappings stay open, so a read that found the segment before it left (for example a {@code FileRecords} slice
 * being sent with {@code sendfile}) completes normally.
 *
 * <p>Thread-safe. {@link #deleteExpired} is called periodically by the {@link LogManager}'s background task (and
 * directly by tests with an injected clock).
 */
public final class SegmentDeleter {
    private static final Logger LOGGER = LoggerFactory.getLogger(SegmentDeleter.class);

    private record Pending(long dueMs, LogSegment segment) {
    }

    private final PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> Long.compare(a.dueMs, b.dueMs));

    /** Schedules {@code segment} (already renamed to {@code .deleted}) for deletion at {@code dueMs}. */
    public synchronized void schedule(LogSegment segment, long dueMs) {
        pending.add(new Pending(dueMs, segment));
    }

    /**
     * Closes and deletes every segment whose delay has passed.
     *
     * @param nowMs the current time (ms)
     * @return the number of segments deleted
     */
    public int deleteExpired(long nowMs) {
        List<LogSegment> due = new ArrayList<>();
        synchronized (this) {
            while (!pending.isEmpty() && pending.peek().dueMs <= nowMs) {
                due.add(pending.poll().segment);
            }
        }
        due.forEach(SegmentDeleter::delete);
        return due.size();
    }

    /** Deletes everything still pending (on close: nobody reads any more). */
    public void deleteAll() {
        deleteExpired(Long.MAX_VALUE);
    }

    /** Segments waiting for their delay (for tests and metrics). */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private static void delete(LogSegment segment) {
        try {
            segment.deleteIfExists();
            LOGGER.debug("Deleted segment file={}", segment.file());
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("Could not delete segment file={} error={}", segment.file(), e.toString());
        }
    }
}
