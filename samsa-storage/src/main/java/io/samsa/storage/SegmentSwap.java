package io.samsa.storage;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import io.samsa.storage.segment.SegmentFiles;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cleaner's swap into one {@link PartitionLog} (Kafka's {@code replaceSegments}), under the log's lock:
 * {@code .cleaned} is renamed to {@code .swap} (the commit point), the segment list is updated, the old segments
 * become {@code .deleted} (removed after {@code file.delete.delay.ms}, so in-flight reads finish), and {@code .swap}
 * is renamed into place. A crash anywhere in between is resolved by {@link LogLoader} on the next open.
 *
 * <p>Stateless: works on the log it is given, under that log's lock.
 */
final class SegmentSwap {
    private SegmentSwap() {
    }

    /** See {@link PartitionLog#replaceSegments}. */
    static boolean replaceSegments(PartitionLog log, LogSegment cleaned, List<LogSegment> oldSegments)
            throws IOException {
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            if (log.isClosed()) {
                return false;
            }
            LogSegments segments = log.segmentList();
            for (LogSegment old : oldSegments) {
                if (segments.get(old.baseOffset()).orElse(null) != old || old == segments.active()) {
                    return false;
                }
            }
            cleaned.changeFileSuffixes(SegmentFiles.CLEANED_SUFFIX, SegmentFiles.SWAP_SUFFIX);
            OffsetCheckpointFile.fsyncDirectory(log.dir());
            segments.add(cleaned);
            for (LogSegment old : oldSegments) {
                if (old.baseOffset() != cleaned.baseOffset()) {
                    segments.remove(old.baseOffset());
                }
            }
            long now = log.time().milliseconds();
            for (LogSegment old : oldSegments) {
                log.retire(old, now);
            }
            cleaned.changeFileSuffixes(SegmentFiles.SWAP_SUFFIX, "");
            OffsetCheckpointFile.fsyncDirectory(log.dir());
            return true;
        } finally {
            lock.unlock();
        }
    }
}
