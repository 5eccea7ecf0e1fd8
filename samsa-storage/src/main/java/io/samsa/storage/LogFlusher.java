package io.samsa.storage;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.segment.LogSegment;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durability of one {@link PartitionLog}: its recovery point (every offset below it is fsynced), the appends not
 * covered by an fsync yet ({@code flush.messages}, {@code flush.ms}), the synchronous {@link #flush}, the log's
 * {@link GroupCommit} rounds and the background flush of a rolled segment. fsyncs run outside the lock; a truncation
 * that happens during one keeps the recovery point where it is (what was fsynced is not the log any more).
 *
 * <p>One per log. Its state is guarded by the log's lock ({@link PartitionLog#lock()}); the recovery point, the time of
 * the first unflushed append and the directory flag are volatile: the first two are also read without the lock, the
 * flag is set again without it when a round fails.
 */
final class LogFlusher {
    private final PartitionLog log;
    /** Runs the group-commit rounds; null: on the caller's thread, and no background flush of rolled segments. */
    private final Executor background;
    /**
     * Runs the background flush of a rolled segment: {@link #background}, unless a deterministic simulation chose
     * another ({@link #runRolledSegmentFlushesOnForTesting}); null: none.
     */
    private volatile Executor rolledSegmentFlushes;
    private final GroupCommit groupCommit;
    private volatile long recoveryPoint;
    private volatile long firstUnflushedAppendMs = -1;
    private long unflushedMessages;
    /** Truncations so far (under the lock): a flush that started before one must not move the recovery point. */
    private long truncations;
    /** A file was created in the directory since the last group-commit round (a roll): fsync the directory too. */
    private volatile boolean directoryDirty = true;

    /**
     * @param log           the log whose durability this is (its lock guards this state)
     * @param recoveryPoint the recovery point recovery established (exclusive: every offset below it is on disk)
     * @param background    the flusher pool of group-commit rounds and rolled segments' flushes; null runs rounds on
     *                      the caller's thread and flushes no rolled segment
     */
    LogFlusher(PartitionLog log, long recoveryPoint, Executor background) {
        this.log = log;
        this.recoveryPoint = recoveryPoint;
        this.background = background;
        this.rolledSegmentFlushes = background;
        this.groupCommit = new GroupCommit(log.topicPartition().toString(), recoveryPoint,
                background != null ? background : Runnable::run, this::flushForGroupCommit);
    }

    /** See {@link PartitionLog#recoveryPoint()}. */
    long recoveryPoint() {
        return recoveryPoint;
    }

    /**
     * Counts appended records for {@code flush.messages} (caller holds the lock).
     *
     * @return true when they reach it: start a group-commit round ({@link #requestRound}) after unlocking
     */
    boolean countUnflushed(long records, long now, LogConfig cfg) {
        unflushedMessages += records;
        if (firstUnflushedAppendMs < 0) {
            firstUnflushedAppendMs = now;
        }
        boolean flushNow = unflushedMessages >= cfg.flushMessages();
        if (flushNow) {
            unflushedMessages = 0; // counted again from here: the round started covers these
        }
        return flushNow;
    }

    /** Starts a group-commit round unless one is pending (call without the lock). */
    void requestRound() {
        groupCommit.requestRound();
    }

    /** See {@link PartitionLog#flushedTo}. */
    CompletableFuture<Void> awaitFlushed(long offset) {
        return groupCommit.awaitFlushed(offset);
    }

    /** True when an append older than {@code flush.ms} has not been fsynced. */
    boolean flushDue(long nowMs) {
        long first = firstUnflushedAppendMs;
        return first >= 0 && nowMs - first >= log.config().flushMs();
    }

    /**
     * One group-commit round: fsyncs the data appended up to the current LEO (an {@code fdatasync} of the active
     * segment's {@code .log}; a fully written earlier segment with its indexes; the directory only when a segment was
     * created since the last round) and advances the recovery point to it. The active segment's indexes are not
     * forced: recovery after an unclean shutdown always rescans the active segment and rebuilds them.
     *
     * @return the new recovery point
     */
    private long flushForGroupCommit() throws IOException {
        long target;
        List<LogSegment> dirty;
        LogSegment active;
        boolean syncDirectory;
        long truncationsBefore;
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            truncationsBefore = truncations;
            target = log.logEndOffset();
            if (target <= recoveryPoint) {
                return recoveryPoint;
            }
            dirty = log.segmentList().range(recoveryPoint, target);
            active = log.segmentList().active();
            // a leader-epoch-checkpoint renamed since the last sync must be durable with the data it describes
            syncDirectory = directoryDirty || log.epochCache().takeDirectorySync();
            directoryDirty = false;
            firstUnflushedAppendMs = -1;
        } finally {
            lock.unlock();
        }
        long flushStart = System.nanoTime();
        try {
            for (LogSegment segment : dirty) {
                if (segment == active) {
                    segment.log().channel().force(false);
                } else {
                    segment.flush();
                }
            }
            if (syncDirectory) {
                OffsetCheckpointFile.fsyncDirectory(log.dir());
                OffsetCheckpointFile.fsyncDirectory(log.dir().getParent());
            }
        } catch (IOException | RuntimeException e) {
            if (syncDirectory) {
                directoryDirty = true;
            }
            throw e;
        }
        LogFlushStats.flushed(flushStart);
        lock.lock();
        try {
            if (truncations == truncationsBefore) { // a truncation meanwhile: what was fsynced is not the log now
                recoveryPoint = Math.max(recoveryPoint, target);
            }
            return recoveryPoint;
        } finally {
            lock.unlock();
        }
    }

    /** Fsyncs segments holding offsets below {@code upTo} (capped at the LEO) and advances the recovery point. */
    void flush(long upTo) throws IOException {
        long target;
        List<LogSegment> dirty;
        long truncationsBefore;
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            // before the data it describes is durable: a file missing an epoch of the data rewritten, a rename fsynced
            log.epochCache().flush(log.logEndOffset());
            truncationsBefore = truncations;
            target = Math.min(upTo, log.logEndOffset());
            if (target <= recoveryPoint) {
                return;
            }
            dirty = log.segmentList().range(recoveryPoint, target);
            if (target == log.logEndOffset()) {
                unflushedMessages = 0;
                firstUnflushedAppendMs = -1;
            }
        } finally {
            lock.unlock();
        }
        long flushStart = System.nanoTime();
        for (LogSegment segment : dirty) {
            segment.flush();
        }
        OffsetCheckpointFile.fsyncDirectory(log.dir());
        LogFlushStats.flushed(flushStart);
        long flushed;
        lock.lock();
        try {
            if (truncations == truncationsBefore) {
                recoveryPoint = Math.max(recoveryPoint, target);
            }
            flushed = recoveryPoint;
        } finally {
            lock.unlock();
        }
        groupCommit.flushedTo(flushed);
    }

    /** A segment file was created in the log's directory (caller holds the lock): the next round fsyncs it too. */
    void segmentCreated() {
        directoryDirty = true;
    }

    /** Flushes the segments below {@code upTo} (a rolled segment) on the background executor, if there is one. */
    void flushInBackground(long upTo) {
        Executor executor = rolledSegmentFlushes;
        if (executor != null) {
            executor.execute(() -> {
                try {
                    flush(upTo);
                } catch (IOException | RuntimeException e) {
                    log.storageFailures().failed("background flush up to " + upTo, e);
                }
            });
        }
    }

    /**
     * Test seam (deterministic simulations, through the tests' {@code SimulationHooks}; never called in production):
     * from now on, runs the background flushes of rolled segments on {@code executor} instead of the log manager's
     * flusher pool, so that the test decides when they happen. Group-commit rounds stay where they were.
     */
    void runRolledSegmentFlushesOnForTesting(Executor executor) {
        rolledSegmentFlushes = executor;
    }

    /** The log start offset moved up to {@code offset} (caller holds the lock): nothing below it needs recovery. */
    void logStartAdvanced(long offset) {
        recoveryPoint = Math.max(recoveryPoint, offset);
    }

    /**
     * After a truncation to {@code [newLogStart, logEndOffset)} (caller holds the lock): the recovery point comes down
     * to the LEO if above it, a flush running now does not move it, group-commit waiters see the new durable end.
     */
    void truncated(long newLogStart, long logEndOffset) {
        truncations++;
        // an empty log (truncateFullyAndStartAt) has nothing to recover: its recovery point is its start
        recoveryPoint = newLogStart == logEndOffset ? logEndOffset : Math.min(recoveryPoint, logEndOffset);
        unflushedMessages = 0;
        firstUnflushedAppendMs = -1;
        groupCommit.truncatedTo(recoveryPoint);
    }

    /** Fails every group-commit waiter, now and later (the log was closed or deleted). */
    void close(String reason) {
        groupCommit.close(reason);
    }

    /** Group-commit rounds run so far (tests and metrics). */
    long rounds() {
        return groupCommit.rounds();
    }
}
