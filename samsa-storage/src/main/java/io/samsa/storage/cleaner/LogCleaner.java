package io.samsa.storage.cleaner;

import io.samsa.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log compaction for logs whose {@code cleanup.policy} includes {@code compact} (Kafka's {@code LogCleaner}):
 * {@code log.cleaner.threads} background threads each repeatedly take the filthiest log ({@link CleanerManager}),
 * clean it ({@link Cleaner}) and checkpoint how far it got in {@code cleaner-offset-checkpoint}; idle threads sleep
 * {@code log.cleaner.backoff.ms}.
 *
 * <p>The cleaner never touches the active segment and never holds a log's lock while reading or writing; appends
 * only wait for the swap of the segment list. Its reads and writes are throttled to
 * {@code log.cleaner.io.max.bytes.per.second} (all threads together; unlimited by default, as Kafka).
 *
 * <p>Thread-safe. {@link #cleanOnce()} runs one cleaning on the caller's thread (tests, benchmarks).
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogCleaner.class);

    private final CleanerConfig config;
    private final Time time;
    private final CleanerManager manager;
    private final Throttler throttler;
    private final List<Thread> threads = new ArrayList<>();
    private final Object idle = new Object();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong cleanings = new AtomicLong();
    private final AtomicLong cleaningNanos = new AtomicLong();
    private Cleaner callerCleaner;
    private volatile boolean running;

    /**
     * @param logDirs the broker's log directories (one {@code cleaner-offset-checkpoint} each)
     * @param logs    the current partition logs
     * @throws IOException when a checkpoint file cannot be read
     */
    public LogCleaner(CleanerConfig config, List<Path> logDirs, Supplier<Collection<PartitionLog>> logs, Time time)
            throws IOException {
        this.config = config;
        this.time = time;
        this.manager = new CleanerManager(logDirs, logs);
        this.throttler = new Throttler(config.maxIoBytesPerSecond(), time);
    }

    /** Starts the threads (none when {@code log.cleaner.enable=false} or {@code log.cleaner.threads=0}). */
    public synchronized void startup() {
        if (running || !config.enabled()) {
            return;
        }
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            Cleaner cleaner = new Cleaner(config, time, throttler);
            Thread thread = new Thread(() -> run(cleaner), "samsa-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOGGER.info("Log cleaner started threads={} dedupeBufferSize={}", config.threads(), config.dedupeBufferSize());
    }

    private void run(Cleaner cleaner) {
        while (running) {
            boolean worked = false;
            try {
                worked = cleanOnce(cleaner, true);
            } catch (RuntimeException e) {
                LOGGER.error("Log cleaner iteration failed error={}", e.toString());
            }
            if (!worked && running) {
                synchronized (idle) {
                    try {
                        idle.wait(Math.max(1, config.backoffMs()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Cleans the filthiest log once on the caller's thread.
     *
     * @return true when a log was cleaned (or its cleaning attempted), false when none needed it
     */
    public boolean cleanOnce() {
        Cleaner cleaner;
        synchronized (this) {
            if (callerCleaner == null) {
                callerCleaner = new Cleaner(config, time, throttler);
            }
            cleaner = callerCleaner;
        }
        synchronized (cleaner) {
            return cleanOnce(cleaner, false);
        }
    }

    private boolean cleanOnce(Cleaner cleaner, boolean stopsWithThreads) {
        Optional<LogToClean> next = manager.grabFilthiestLog(time.milliseconds());
        if (next.isEmpty()) {
            return false;
        }
        LogToClean toClean = next.get();
        PartitionLog log = toClean.log();
        TopicPartition tp = log.topicPartition();
        long start = System.nanoTime();
        try {
            Cleaner.Result result = cleaner.clean(toClean, () -> manager.isAborted(tp) || stopsWithThreads && !running);
            manager.doneCleaning(log, result.endOffset(), result.minRetainedHorizonMs());
            long nanos = System.nanoTime() - start;
            bytesRead.addAndGet(result.bytesRead());
            bytesWritten.addAndGet(result.bytesWritten());
            cleanings.incrementAndGet();
            cleaningNanos.addAndGet(nanos);
            LOGGER.info("Cleaned log topicPartition={} from={} to={} segments={} bytesRead={} bytesWritten={} "
                            + "records={}/{} ratio={} ms={}", tp, toClean.firstDirtyOffset(), result.endOffset(),
                    result.segmentsCleaned(), result.bytesRead(), result.bytesWritten(), result.recordsRetained(),
                    result.recordsRead(), String.format("%.2f", toClean.cleanableRatio()), nanos / 1_000_000);
        } catch (CleaningAbortedException e) {
            LOGGER.info("Cleaning aborted topicPartition={}", tp);
            manager.doneWithoutCleaning(tp, false, time.milliseconds());
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("Cleaning failed, retried later topicPartition={} error={}", tp, e.toString());
            manager.doneWithoutCleaning(tp, true, time.milliseconds());
        }
        return true;
    }

    /** Stops any cleaning of {@code tp} and waits for it (before the log is deleted or truncated). */
    public void abortAndPause(TopicPartition tp) throws InterruptedException {
        manager.abortAndPause(tp);
    }

    /** Lets a paused log be cleaned again. */
    public void resume(TopicPartition tp) {
        manager.resume(tp);
    }

    /** Forgets a deleted log (its checkpoint entry goes too). */
    public void remove(PartitionLog log) {
        manager.remove(log);
    }

    /** The cleaner checkpoint of {@code log}: where its dirty part begins, or -1. */
    public long checkpoint(PartitionLog log) {
        return manager.checkpoint(log);
    }

    /** Totals since start: bytes read and written, cleanings, and time spent cleaning (ns). */
    public record Stats(long bytesRead, long bytesWritten, long cleanings, long cleaningNanos) {
    }

    public Stats stats() {
        return new Stats(bytesRead.get(), bytesWritten.get(), cleanings.get(), cleaningNanos.get());
    }

    /** Stops the threads; a cleaning in progress is abandoned (its {@code .cleaned} files are deleted). */
    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            running = false;
            toJoin = List.copyOf(threads);
            threads.clear();
        }
        synchronized (idle) {
            idle.notifyAll();
        }
        for (Thread thread : toJoin) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
