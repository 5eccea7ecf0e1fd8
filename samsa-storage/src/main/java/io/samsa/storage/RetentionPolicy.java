package io.samsa.storage;

import io.samsa.storage.segment.LogSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Which oldest segments of a log may be deleted (Kafka's {@code UnifiedLog.deletableSegments} and its three
 * predicates). Pure functions over a segment list; the caller deletes under the log's lock.
 *
 * <p>Segments are considered oldest first and the scan stops at the first one that does not qualify, so only a
 * prefix is ever deleted. A segment qualifies only when every offset in it is below the high watermark, and the last
 * segment only when it is non-empty (the caller then rolls a new active segment first, as Kafka does, so a log always
 * keeps one segment).
 */
final class RetentionPolicy {
    private RetentionPolicy() {
    }

    /** A per-segment test; {@code next} is the following segment or null for the last one. */
    @FunctionalInterface
    interface SegmentPredicate {
        boolean test(LogSegment segment, LogSegment next);
    }

    /** The deletable prefix of {@code segments} (base-offset order). */
    static List<LogSegment> deletable(List<LogSegment> segments, long logEndOffset, long highWatermark,
                                      SegmentPredicate predicate) {
        List<LogSegment> result = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            LogSegment next = i + 1 < segments.size() ? segments.get(i + 1) : null;
            long upperBound = next != null ? next.baseOffset() : logEndOffset;
            boolean lastAndEmpty = next == null && segment.size() == 0;
            if (highWatermark >= upperBound && !lastAndEmpty && predicate.test(segment, next)) {
                result.add(segment);
            } else {
                break;
            }
        }
        return result;
    }

    /** Segments entirely below the log start offset (after DeleteRecords). */
    static SegmentPredicate belowLogStartOffset(long logStartOffset) {
        return (segment, next) -> next != null && next.baseOffset() <= logStartOffset;
    }

    /**
     * {@code retention.bytes}: oldest segments while the log stays at or above the limit without them.
     *
     * @param retentionBytes the limit; negative: no limit (nothing qualifies)
     * @param logSizeBytes   the log's total size
     */
    static SegmentPredicate sizeBreached(long retentionBytes, long logSizeBytes) {
        if (retentionBytes < 0 || logSizeBytes < retentionBytes) {
            return (segment, next) -> false;
        }
        long[] diff = {logSizeBytes - retentionBytes};
        return (segment, next) -> {
            if (diff[0] - segment.size() >= 0) {
                diff[0] -= segment.size();
                return true;
            }
            return false;
        };
    }

    /**
     * {@code retention.ms}: segments whose largest timestamp is more than {@code retentionMs} before {@code nowMs}.
     *
     * @param retentionMs negative: no limit (nothing qualifies)
     */
    static SegmentPredicate timeBreached(long retentionMs, long nowMs) {
        if (retentionMs < 0) {
            return (segment, next) -> false;
        }
        return (segment, next) -> nowMs - segment.largestTimestamp() > retentionMs;
    }

    /** Total bytes of the {@code .log} files. */
    static long size(List<LogSegment> segments) {
        long size = 0;
        for (LogSegment segment : segments) {
            size += segment.size();
        }
        return size;
    }
}
