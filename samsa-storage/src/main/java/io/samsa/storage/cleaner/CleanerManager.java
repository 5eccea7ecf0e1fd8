package io.samsa.storage.cleaner;

import io.samsa.storage.PartitionLog;
import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which log the cleaner works on next, and what it has done (Kafka's {@code LogCleanerManager}): the per-directory
 * {@code cleaner-offset-checkpoint} files (Kafka's name and "0\ncount\ntopic partition offset" format), the logs being
 * cleaned, paused or aborted, and the earliest tombstone delete horizon of each log.
 *
 * <p>Selection: among logs whose {@code cleanup.policy} includes {@code compact} and that are not being cleaned,
 * those with a dirty ratio above {@code min.cleanable.dirty.ratio} or a dirty record older than
 * {@code max.compaction.lag.ms}; the highest ratio wins. When none qualifies, a log whose tombstones have passed their
 * delete horizon is cleaned so that they go.
 *
 * <p>Thread-safe: every method synchronizes on this manager.
 */
final class CleanerManager {
    static final String CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    private static final Logger LOGGER = LoggerFactory.getLogger(CleanerManager.class);
    private static final long FAILURE_BACKOFF_MS = 60_000;

    private enum State { CLEANING, ABORT_REQUESTED, PAUSED }

    private final Supplier<Collection<PartitionLog>> logs;
    private final Map<Path, OffsetCheckpointFile> files = new HashMap<>();
    private final Map<Path, Map<TopicPartition, Long>> checkpoints = new HashMap<>();
    private final Map<TopicPartition, State> states = new HashMap<>();
    private final Map<TopicPartition, Long> tombstoneHorizons = new HashMap<>();
    private final Map<TopicPartition, Long> failedUntil = new HashMap<>();

    CleanerManager(List<Path> logDirs, Supplier<Collection<PartitionLog>> logs) throws IOException {
        this.logs = logs;
        for (Path dir : logDirs) {
            OffsetCheckpointFile file = new OffsetCheckpointFile(dir.resolve(CHECKPOINT_FILE));
            files.put(dir, file);
            checkpoints.put(dir, new HashMap<>(file.read()));
        }
    }

    /** Picks the filthiest cleanable log and marks it as being cleaned; empty when none needs cleaning. */
    synchronized Optional<LogToClean> grabFilthiestLog(long nowMs) {
        LogToClean best = null;
        LogToClean horizonDue = null;
        for (PartitionLog log : logs.get()) {
            TopicPartition tp = log.topicPartition();
            if (!log.config().compact() || states.containsKey(tp) || failedUntil.getOrDefault(tp, 0L) > nowMs) {
                continue;
            }
            LogToClean candidate = LogToClean.of(log, checkpoint(log), nowMs);
            boolean dirty = candidate.cleanableBytes() > 0 && (candidate.needCompactionNow()
                    || candidate.cleanableRatio() > log.config().minCleanableDirtyRatio());
            if (dirty && (best == null || candidate.cleanableRatio() > best.cleanableRatio())) {
                best = candidate;
            } else if (!dirty && tombstoneHorizons.getOrDefault(tp, Long.MAX_VALUE) <= nowMs) {
                horizonDue = candidate;
            }
        }
        LogToClean chosen = best != null ? best : horizonDue;
        if (chosen != null) {
            states.put(chosen.log().topicPartition(), State.CLEANING);
        }
        return Optional.ofNullable(chosen);
    }

    /** The cleaner checkpoint of {@code log}, or -1. */
    synchronized long checkpoint(PartitionLog log) {
        return checkpoints.getOrDefault(dirOf(log), Map.of()).getOrDefault(log.topicPartition(), -1L);
    }

    /** Records a finished cleaning: the new checkpoint (written to disk) and the earliest tombstone horizon kept. */
    synchronized void doneCleaning(PartitionLog log, long endOffset, long minRetainedHorizonMs) {
        TopicPartition tp = log.topicPartition();
        if (minRetainedHorizonMs == Long.MAX_VALUE) {
            tombstoneHorizons.remove(tp);
        } else {
            tombstoneHorizons.put(tp, minRetainedHorizonMs);
        }
        Path dir = dirOf(log);
        checkpoints.computeIfAbsent(dir, d -> new HashMap<>()).put(tp, endOffset);
        writeCheckpoint(dir);
        finish(tp);
    }

    /** Ends a cleaning that failed or was aborted; a failure makes the log wait before it is tried again. */
    synchronized void doneWithoutCleaning(TopicPartition tp, boolean failed, long nowMs) {
        if (failed) {
            failedUntil.put(tp, nowMs + FAILURE_BACKOFF_MS);
        }
        finish(tp);
    }

    private void finish(TopicPartition tp) {
        if (states.get(tp) == State.ABORT_REQUESTED) {
            states.put(tp, State.PAUSED);
        } else {
            states.remove(tp);
        }
        notifyAll();
    }

    /** True when the cleaning of {@code tp} must stop. */
    synchronized boolean isAborted(TopicPartition tp) {
        return states.get(tp) == State.ABORT_REQUESTED;
    }

    /**
     * Stops any cleaning of {@code tp}, waits until it has stopped, and keeps the log from being cleaned until
     * {@link #resume} (Kafka's {@code abortAndPauseCleaning}).
     */
    synchronized void abortAndPause(TopicPartition tp) throws InterruptedException {
        State state = states.get(tp);
        if (state == State.CLEANING || state == State.ABORT_REQUESTED) {
            states.put(tp, State.ABORT_REQUESTED);
            while (states.get(tp) == State.ABORT_REQUESTED) {
                wait();
            }
        }
        states.put(tp, State.PAUSED);
    }

    synchronized void resume(TopicPartition tp) {
        if (states.get(tp) == State.PAUSED) {
            states.remove(tp);
        }
    }

    /** Forgets a deleted log: its state, horizon and checkpoint entry. */
    synchronized void remove(PartitionLog log) {
        TopicPartition tp = log.topicPartition();
        states.remove(tp);
        tombstoneHorizons.remove(tp);
        failedUntil.remove(tp);
        Path dir = dirOf(log);
        Map<TopicPartition, Long> entries = checkpoints.get(dir);
        if (entries != null && entries.remove(tp) != null) {
            writeCheckpoint(dir);
        }
    }

    private void writeCheckpoint(Path dir) {
        OffsetCheckpointFile file = files.computeIfAbsent(dir,
                d -> new OffsetCheckpointFile(d.resolve(CHECKPOINT_FILE)));
        try {
            file.write(checkpoints.getOrDefault(dir, Map.of()));
        } catch (IOException e) {
            LOGGER.error("Writing the cleaner checkpoint failed file={} error={}", file.file(), e.toString());
        }
    }

    private static Path dirOf(PartitionLog log) {
        return log.dir().toAbsolutePath().getParent();
    }
}
