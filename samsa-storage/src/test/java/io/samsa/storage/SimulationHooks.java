package io.samsa.storage;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Test hooks, for deterministic simulations in other modules, into a {@link LogManager} and its logs: a process crash
 * (no flush, no checkpoint) and control over when a log's background flushes run.
 */
public final class SimulationHooks {
    private SimulationHooks() {
    }

    /** See {@link LogManager#crashForTesting()}: releases locks and file handles without flushing anything. */
    public static void crash(LogManager manager) throws IOException {
        manager.crashForTesting();
    }

    /**
     * Runs the background flushes of {@code log} (the fsync of each rolled segment) on {@code executor} instead of
     * the log manager's flusher threads, so a simulation decides when they happen. Group-commit rounds (with
     * {@code flush.messages}) stay on the flusher threads. See {@link LogFlusher#runRolledSegmentFlushesOnForTesting}.
     */
    public static void runBackgroundFlushesOn(PartitionLog log, Executor executor) {
        log.flusher().runRolledSegmentFlushesOnForTesting(executor);
    }
}
