package io.samsa.storage;

import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.SegmentFiles;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The end of one {@link PartitionLog}: a clean close (one flush, a producer snapshot at the LEO, trimmed indexes,
 * closed files), the deletion of its files, and the release of its handles as a crash would (tests). Each marks the
 * log closed under its lock, so that later appends, flushes and segment changes fail or do nothing, and then fails
 * the log's group-commit waiters.
 *
 * <p>Stateless: works on the log it is given, taking that log's lock (the flush of a close takes it itself).
 */
final class LogClose {
    private LogClose() {
    }

    /** See {@link PartitionLog#close()}. */
    static void close(PartitionLog log) throws IOException {
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            if (log.isClosed()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        try {
            log.flush();
        } catch (IOException e) {
            failure = e;
        }
        lock.lock();
        try {
            if (failure == null && !SegmentFiles.snapshotFile(log.dir(), log.logEndOffset()).exists()) {
                try {
                    log.producerState().takeSnapshot(log.logEndOffset());
                } catch (IOException e) {
                    failure = e;
                }
            }
            // the files are released even when the flush or snapshot failed (recovery redoes both)
            for (LogSegment segment : log.segmentList().all()) {
                try {
                    segment.close();
                } catch (IOException | RuntimeException e) {
                    if (failure == null) {
                        failure = e instanceof IOException io ? io : new IOException(e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            log.markClosed();
        } finally {
            lock.unlock();
        }
        log.flusher().close("log of " + log.topicPartition() + " is closed");
        if (failure != null) {
            log.storageFailures().failed("close", failure);
            throw failure;
        }
    }

    /** See {@link PartitionLog#deleteFiles()}. */
    static void deleteFiles(PartitionLog log) throws IOException {
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.markClosed();
            for (LogSegment segment : log.segmentList().all()) {
                segment.deleteIfExists();
            }
            log.producerState().deleteSnapshots();
        } finally {
            lock.unlock();
        }
        log.flusher().close("log of " + log.topicPartition() + " was deleted");
    }

    /** See {@link PartitionLog#closeHandlersForTesting()}. */
    static void closeHandlers(PartitionLog log) throws IOException {
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.markClosed();
            for (LogSegment segment : log.segmentList().all()) {
                segment.closeHandlers();
            }
        } finally {
            lock.unlock();
        }
    }
}
