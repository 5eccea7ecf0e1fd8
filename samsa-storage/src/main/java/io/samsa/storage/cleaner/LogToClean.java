package io.samsa.storage.cleaner;

import io.samsa.storage.LogConfig;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import java.util.List;

/**
 * A compacted log's cleanable state (Kafka's {@code LogToClean} and {@code LogCleanerManager.cleanableOffsets}).
 * Offsets are Kafka offsets; bytes are {@code .log} sizes of whole segments.
 *
 * @param log                    the log
 * @param firstDirtyOffset       the cleaner checkpoint (reset to the log start offset when outside the log)
 * @param firstUncleanableOffset exclusive end of what may be cleaned: the lowest of the active segment's base offset,
 *                               the base offset of the segment holding the last stable offset (KIP-98: an open
 *                               transaction is never cleaned; the LSO is at most the high watermark), and the base
 *                               offset of the first segment holding a record newer than {@code min.compaction.lag.ms}
 * @param cleanBytes             bytes of the segments below the first dirty offset
 * @param cleanableBytes         bytes of the segments overlapping [firstDirtyOffset, firstUncleanableOffset)
 * @param needCompactionNow      a dirty record is older than {@code max.compaction.lag.ms}
 */
public record LogToClean(PartitionLog log, long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes,
                         long cleanableBytes, boolean needCompactionNow) {

    /** cleanable / (clean + cleanable): compared with {@code min.cleanable.dirty.ratio}. */
    public double cleanableRatio() {
        long total = cleanBytes + cleanableBytes;
        return total == 0 ? 0 : (double) cleanableBytes / total;
    }

    /**
     * Computes the state of {@code log}.
     *
     * @param checkpoint the log's cleaner checkpoint, or -1
     * @param nowMs      the current time (ms)
     */
    public static LogToClean of(PartitionLog log, long checkpoint, long nowMs) {
        List<LogSegment> segments = log.segments();
        LogConfig config = log.config();
        LogSegment active = segments.getLast();
        long logStart = log.logStartOffset();
        long firstDirty = checkpoint < logStart || checkpoint > log.logEndOffset() ? logStart : checkpoint;
        long hw = log.lastStableOffset(); // at most the high watermark
        long firstUncleanable = active.baseOffset();
        for (LogSegment segment : segments) {
            if (segment.baseOffset() <= hw) {
                firstUncleanable = Math.min(active.baseOffset(), segment.baseOffset());
            }
        }
        long earliestDirtyTimestamp = Long.MAX_VALUE;
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            if (segments.get(i + 1).baseOffset() <= firstDirty) {
                continue;
            }
            if (config.minCompactionLagMs() > 0 && segment.largestTimestamp() > nowMs - config.minCompactionLagMs()) {
                firstUncleanable = Math.min(firstUncleanable, segment.baseOffset());
            }
            long first = segment.firstBatchTimestamp();
            if (first >= 0) {
                earliestDirtyTimestamp = Math.min(earliestDirtyTimestamp, first);
            }
        }
        long cleanBytes = 0;
        long cleanableBytes = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            long next = segments.get(i + 1).baseOffset();
            if (segment.baseOffset() < firstDirty) {
                cleanBytes += segment.size();
            }
            if (segment.baseOffset() < firstUncleanable && next > firstDirty) {
                cleanableBytes += segment.size();
            }
        }
        boolean needNow = config.maxCompactionLagMs() < Long.MAX_VALUE && earliestDirtyTimestamp != Long.MAX_VALUE
                && nowMs - earliestDirtyTimestamp > config.maxCompactionLagMs();
        return new LogToClean(log, firstDirty, Math.max(firstDirty, firstUncleanable), cleanBytes, cleanableBytes,
                needNow);
    }
}
