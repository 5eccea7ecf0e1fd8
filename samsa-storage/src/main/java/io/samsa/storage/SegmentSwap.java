package io.samsa.storage;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import io.samsa.storage.segment.SegmentFiles;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cleaner's swap into one {@link PartitionLog} (Kafka's {@code replaceSegments}): {@code .cleaned} is renamed to
 * {@code .swap} and the directory fsynced (the commit point); then, under the log's lock, the segment list is updated,
 * the old segments become {@code .deleted} (removed after {@code file.delete.delay.ms}, so in-flight reads finish),
 * and {@code .swap} is renamed into place; the directory is fsynced again after the lock is released. A crash anywhere
 * in between is resolved by {@link LogLoader} on the next open, which completes any {@code .log.swap}.
 *
 * <p>Unlike Kafka, the two directory fsyncs happen outside the lock: on ext4 a directory fsync commits the journal and
 * can wait tens of milliseconds for the data the appender just wrote, and appends would wait with it. Completing a
 * committed swap is always correct (the cleaned segment holds the same latest values as the segments it replaces), so
 * the commit point may precede the check that the old segments are still in the log; when that check fails the caller
 * deletes the {@code .swap} files, and a crash before it does leaves a swap that recovery completes below the log
 * start offset, where retention removes it.
 *
 * <p>Stateless: works on the log it is given, taking that log's lock.
 */
final class SegmentSwap {
    private SegmentSwap() {
    }

    /** See {@link PartitionLog#replaceSegments}. */
    static boolean replaceSegments(PartitionLog log, LogSegment cleaned, List<LogSegment> oldSegments)
            throws IOException {
        cleaned.changeFileSuffixes(SegmentFiles.CLEANED_SUFFIX, SegmentFiles.SWAP_SUFFIX);
        OffsetCheckpointFile.fsyncDirectory(log.dir());
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
        } finally {
            lock.unlock();
        }
        OffsetCheckpointFile.fsyncDirectory(log.dir());
        return true;
    }
}
