package io.samsa.storage;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.checkpoint.PartitionMetadataFile;
import io.samsa.storage.cleaner.CleanerConfig;
import io.samsa.storage.cleaner.LogCleaner;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log of one broker under its log directories (Kafka's {@code LogManager}): loads and
 * recovers them at start (a clean-shutdown marker {@code .kafka_cleanshutdown} skips recovery; otherwise segments
 * past the {@code recovery-point-offset-checkpoint} are scanned and torn tails truncated), creates and deletes
 * partitions, runs the {@code flush.ms} policy, and on close flushes, checkpoints and writes the marker.
 *
 * <p><b>Start and stop at any partition count.</b> Loading (and recovery after a crash) and closing run on
 * {@code num.recovery.threads.per.data.dir} threads per log directory (Kafka's key and its 4.x default, 2), every
 * directory at once; each partition is recovered only from the segment holding its recovery point. The threads exist
 * only while a directory is being loaded or closed.
 *
 * <p><b>Durability.</b> An append returns once its batch is written to the OS page cache. A <em>process</em> crash
 * (kill -9, OOM) therefore loses nothing that was acknowledged: the kernel still writes the pages, and recovery
 * only truncates a batch torn by a crash in the middle of a write. A <em>power loss or kernel crash</em> loses what
 * was not fsynced: everything above the recovery point. Fsync happens when {@code flush.messages} records are
 * unflushed (group commit on the flusher pool, {@link PartitionLog#flushedTo}), when {@link #flushDirtyLogs()} finds
 * an append older than {@code flush.ms}, in the background for each rolled segment, and on close. Kafka's defaults
 * (both Long.MAX_VALUE) never fsync on the append path and rely on replication instead.
 *
 * <p>Thread-safe. Each log directory is locked with {@code .lock} while open.
 */
public final class LogManager implements Closeable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogManager.class);
    /** Kafka 4.x's default of {@code num.recovery.threads.per.data.dir} (KIP-1030). */
    public static final int DEFAULT_RECOVERY_THREADS_PER_DATA_DIR = 2;
    /** Logs that may fsync at the same time (group-commit rounds and rolled-segment flushes). */
    private static final int FLUSHER_THREADS = 8;

    private final List<LogDirectory> dirs;
    private final LogConfig defaultConfig;
    private final Time time;
    private final ExecutorService background;
    private final ConcurrentHashMap<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, LogDirectory> placement = new ConcurrentHashMap<>();
    private final SegmentDeleter deleter = new SegmentDeleter();
    private final LogCleaner cleaner;
    private final StorageFailures checkpointFailures = new StorageFailures("checkpoints=log.dirs",
            "recovery points, log start offsets and high watermarks on disk are stale until a write succeeds");
    private final int recoveryThreadsPerDataDir;
    private ScheduledExecutorService lifecycle;
    private boolean closed;

    private LogManager(List<LogDirectory> dirs, LogConfig defaultConfig, Time time, CleanerConfig cleanerConfig,
                       int recoveryThreadsPerDataDir) throws IOException {
        this.dirs = dirs;
        this.defaultConfig = defaultConfig;
        this.time = time;
        this.recoveryThreadsPerDataDir = recoveryThreadsPerDataDir;
        this.background = StoragePools.flusherPool(FLUSHER_THREADS);
        this.cleaner = new LogCleaner(cleanerConfig, dirs.stream().map(LogDirectory::path).toList(),
                logs::values, time);
    }

    /**
     * Opens (creating if needed) the given log directories and loads every partition found there.
     *
     * @param logDirs       {@code log.dirs}; new partitions go to the directory holding the fewest
     * @param defaultConfig the broker-level log settings, used for loaded partitions until {@link #updateConfig}
     * @param time          clock for segment.ms, flush.ms and LogAppendTime (inject a mock in tests)
     * @throws KafkaStorageException when a directory is locked by another process
     * @throws IOException           when a directory cannot be read or a log cannot be recovered
     */
    public static LogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time) throws IOException {
        return open(logDirs, defaultConfig, time, CleanerConfig.defaults());
    }

    /**
     * Opens the log directories as {@link #open(List, LogConfig, Time)} with the log cleaner's settings. The
     * background tasks (retention, delayed file deletion, cleaner threads) start with {@link #startBackgroundTasks}.
     */
    public static LogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time, CleanerConfig cleanerConfig)
            throws IOException {
        return open(logDirs, defaultConfig, time, cleanerConfig, DEFAULT_RECOVERY_THREADS_PER_DATA_DIR);
    }

    /**
     * Opens the log directories as {@link #open(List, LogConfig, Time, CleanerConfig)}, loading (and after a crash
     * recovering) the partitions of each directory on {@code recoveryThreadsPerDataDir} threads, all directories at
     * once; {@link #close()} flushes and closes them on as many threads.
     *
     * @param recoveryThreadsPerDataDir {@code num.recovery.threads.per.data.dir}, at least 1
     * @throws IllegalArgumentException when {@code recoveryThreadsPerDataDir} is below 1
     */
    public static LogManager open(List<Path> logDirs, LogConfig defaultConfig, Time time, CleanerConfig cleanerConfig,
                                  int recoveryThreadsPerDataDir) throws IOException {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one log directory is required");
        }
        if (recoveryThreadsPerDataDir < 1) {
            throw new IllegalArgumentException("num.recovery.threads.per.data.dir must be at least 1, not "
                    + recoveryThreadsPerDataDir);
        }
        List<LogDirectory> opened = new ArrayList<>();
        try {
            for (Path path : logDirs) {
                opened.add(LogDirectory.open(path.toAbsolutePath()));
            }
        } catch (IOException | RuntimeException e) {
            for (LogDirectory dir : opened) {
                dir.unlock();
            }
            throw e;
        }
        LogManager manager;
        try {
            manager = new LogManager(List.copyOf(opened), defaultConfig, time, cleanerConfig,
                    recoveryThreadsPerDataDir);
        } catch (IOException | RuntimeException e) {
            for (LogDirectory dir : opened) {
                dir.unlock();
            }
            throw e;
        }
        try {
            manager.loadDirectories();
        } catch (IOException | RuntimeException e) {
            manager.abandon(); // e.g. a full disk: release the files and the directory locks for a retry
            throw e;
        }
        return manager;
    }

    /** Loads every directory at once, each on its own pool of {@code recoveryThreadsPerDataDir} threads. */
    private void loadDirectories() throws IOException {
        long start = time.milliseconds();
        List<DirectoryLoad> loads = new ArrayList<>();
        try {
            for (LogDirectory dir : dirs) {
                loads.add(startLoading(dir));
            }
            for (DirectoryLoad load : loads) {
                finishLoading(load, start);
            }
        } finally {
            loads.forEach(load -> load.pool().shutdownNow());
        }
    }

    /** A directory being loaded: its pool and one future per partition directory. */
    private record DirectoryLoad(LogDirectory dir, boolean clean, ExecutorService pool,
                                 List<Future<Optional<PartitionLog>>> partitions) {
    }

    private DirectoryLoad startLoading(LogDirectory dir) throws IOException {
        boolean clean = dir.hadCleanShutdown();
        Map<TopicPartition, LogLoader.Checkpoints> checkpoints = dir.readCheckpoints();
        List<Path> children;
        try (Stream<Path> list = Files.list(dir.path())) {
            children = list.filter(Files::isDirectory).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(recoveryThreadsPerDataDir,
                StoragePools.threads("samsa-log-recovery-" + dir.path().getFileName()));
        List<Future<Optional<PartitionLog>>> partitions = new ArrayList<>();
        for (Path child : children) {
            partitions.add(pool.submit(() -> loadPartition(child, clean, checkpoints)));
        }
        return new DirectoryLoad(dir, clean, pool, partitions);
    }

    /** Loads one partition directory; empty for directories that are not partitions (or were deleted). */
    private Optional<PartitionLog> loadPartition(Path child, boolean clean,
                                                 Map<TopicPartition, LogLoader.Checkpoints> checkpoints)
            throws IOException {
        String name = child.getFileName().toString();
        if (name.endsWith("-delete")) {
            deleteRecursively(child);
            return Optional.empty();
        }
        if (name.endsWith("-future") || name.endsWith("-stray")) {
            return Optional.empty();
        }
        Optional<TopicPartition> tp = LogLoader.parseDirName(name);
        if (tp.isEmpty()) {
            return Optional.empty();
        }
        Uuid topicId = PartitionMetadataFile.read(child).orElse(Uuid.ZERO_UUID);
        return Optional.of(LogLoader.load(child, tp.get(), topicId, defaultConfig, time, clean,
                checkpoints.getOrDefault(tp.get(), LogLoader.Checkpoints.NONE), background, deleter));
    }

    private void finishLoading(DirectoryLoad load, long startMs) throws IOException {
        LogDirectory dir = load.dir();
        int loaded = 0;
        for (PartitionLog log : StoragePools.awaitAll(load.partitions(), "loading " + dir.path())) {
            log.truncationCheckpoint().writeWith(() -> checkpointTruncations(log));
            logs.put(log.topicPartition(), log);
            placement.put(log.topicPartition(), dir);
            loaded++;
        }
        LOGGER.info("Loaded log directory dir={} partitions={} cleanShutdown={} threads={} durationMs={}", dir.path(),
                loaded, load.clean(), recoveryThreadsPerDataDir, time.milliseconds() - startMs);
        dir.writeCheckpoints(logsIn(dir));
        dir.deleteCleanShutdownMarker();
    }

    /** Every loaded partition log. */
    public Map<TopicPartition, PartitionLog> logs() {
        return Map.copyOf(logs);
    }

    public Optional<PartitionLog> get(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /** The log directories, as given to {@link #open}. */
    public List<Path> logDirs() {
        return dirs.stream().map(LogDirectory::path).toList();
    }

    /**
     * Returns the log of {@code tp}, creating its directory and {@code partition.metadata} (with the topic id) when
     * it does not exist yet. A loaded log without a topic id gets {@code topicId}.
     *
     * @throws org.apache.kafka.common.errors.InconsistentTopicIdException when the existing log has another topic id
     */
    public synchronized PartitionLog getOrCreate(TopicPartition tp, Uuid topicId, LogConfig config)
            throws IOException {
        ensureOpen();
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            if (existing.topicId().equals(Uuid.ZERO_UUID) && !topicId.equals(Uuid.ZERO_UUID)) {
                PartitionMetadataFile.write(existing.dir(), topicId);
                existing.topicId(topicId);
            } else {
                PartitionMetadataFile.verify(existing.dir(), existing.topicId(), topicId);
            }
            existing.updateConfig(config);
            return existing;
        }
        LogDirectory dir = dirs.stream().min(Comparator.comparingInt(d -> logsIn(d).size())).orElseThrow();
        Path path = dir.path().resolve(tp.topic() + "-" + tp.partition());
        Files.createDirectories(path);
        OffsetCheckpointFile.fsyncDirectory(dir.path()); // the new partition directory survives a power loss
        if (!topicId.equals(Uuid.ZERO_UUID)) {
            PartitionMetadataFile.write(path, topicId);
        }
        PartitionLog log = LogLoader.load(path, tp, topicId, config, time, true, LogLoader.Checkpoints.NONE,
                background, deleter);
        log.truncationCheckpoint().writeWith(() -> checkpointTruncations(log));
        logs.put(tp, log);
        placement.put(tp, dir);
        LOGGER.info("Created log topicPartition={} dir={}", tp, path);
        return log;
    }

    /** Replaces the settings of an existing log (next roll/append uses them). */
    public void updateConfig(TopicPartition tp, LogConfig config) {
        PartitionLog log = logs.get(tp);
        if (log != null) {
            log.updateConfig(config);
        }
    }

    /**
     * Closes and removes the partition's log and its files. No-op when absent. Slices returned by earlier reads
     * become unreadable.
     */
    public synchronized void delete(TopicPartition tp) throws IOException {
        PartitionLog log = logs.remove(tp);
        LogDirectory dir = placement.remove(tp);
        if (log == null) {
            return;
        }
        Path renamed = log.dir().resolveSibling(log.dir().getFileName() + "." + Uuid.randomUuid() + "-delete");
        try {
            cleaner.abortAndPause(tp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cleaner.remove(log);
        log.deleteFiles();
        Files.move(log.dir(), renamed);
        deleteRecursively(renamed);
        if (dir != null) {
            dir.writeCheckpoints(logsIn(dir));
        }
        LOGGER.info("Deleted log topicPartition={}", tp);
    }

    /**
     * Flushes every log whose oldest unflushed append is older than its {@code flush.ms}, then (if anything was
     * flushed) rewrites the checkpoints. Call it periodically from a background thread, never an event loop.
     */
    public void flushDirtyLogs() {
        long now = time.milliseconds();
        boolean flushed = false;
        for (PartitionLog log : logs.values()) {
            if (log.flushDue(now)) {
                try {
                    log.flush();
                    flushed = true;
                } catch (IOException | KafkaStorageException e) {
                    log.storageFailures().failed("flush (flush.ms)", e);
                }
            }
        }
        if (flushed) {
            checkpointQuietly();
        }
    }

    /**
     * Starts the log lifecycle tasks on a background thread: retention ({@link #deleteOldSegments()}) every
     * {@code retentionCheckIntervalMs} ({@code log.retention.check.interval.ms}), removal of {@code .deleted} files
     * whose {@code file.delete.delay.ms} has passed every {@code min(1000, interval)} ms, and the log cleaner's threads.
     */
    public synchronized void startBackgroundTasks(long retentionCheckIntervalMs) {
        startBackgroundTasks(retentionCheckIntervalMs, 0);
    }

    /**
     * As {@link #startBackgroundTasks(long)}, plus a checkpoint of every recovery point (and log start offset and high
     * watermark) every {@code checkpointIntervalMs} ({@code log.flush.offset.checkpoint.interval.ms}; 0: none). The
     * recovery point moves with each fsync; its checkpoint follows in batches, so that recovery after a crash starts
     * near the log end without one checkpoint write per fsync.
     */
    public synchronized void startBackgroundTasks(long retentionCheckIntervalMs, long checkpointIntervalMs) {
        ensureOpen();
        if (lifecycle != null) {
            return;
        }
        lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "samsa-log-retention");
            t.setDaemon(true);
            return t;
        });
        long deleteEvery = Math.min(1000, retentionCheckIntervalMs);
        lifecycle.scheduleWithFixedDelay(this::deleteOldSegmentsSafely, retentionCheckIntervalMs,
                retentionCheckIntervalMs, TimeUnit.MILLISECONDS);
        lifecycle.scheduleWithFixedDelay(this::deleteExpiredFiles, deleteEvery, deleteEvery, TimeUnit.MILLISECONDS);
        if (checkpointIntervalMs > 0) {
            lifecycle.scheduleWithFixedDelay(this::checkpointQuietly, checkpointIntervalMs, checkpointIntervalMs,
                    TimeUnit.MILLISECONDS);
        }
        cleaner.startup();
    }

    private void deleteOldSegmentsSafely() {
        try {
            deleteOldSegments();
        } catch (RuntimeException e) {
            LOGGER.error("Retention check failed error={}", e.toString());
        }
    }

    /**
     * Applies retention to every log ({@link PartitionLog#deleteOldSegments()}) and, when segments went, rewrites the
     * checkpoints (the log start offsets moved).
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (KafkaStorageException e) {
                LOGGER.error("Retention failed topicPartition={} error={}", log.topicPartition(), e.toString());
            }
        }
        if (deleted > 0) {
            checkpointQuietly();
        }
        return deleted;
    }

    /**
     * Expires idle producers in every log ({@code producer.id.expiration.ms}, checked every
     * {@code producer.id.expiration.check.interval.ms} by the broker, as Kafka's {@code LogManager}).
     *
     * @return the number of producer entries removed
     */
    public int removeExpiredProducers(long expirationMs) {
        int removed = 0;
        for (PartitionLog log : logs.values()) {
            try {
                removed += log.removeExpiredProducers(expirationMs);
            } catch (RuntimeException e) {
                LOGGER.error("Producer expiration failed topicPartition={} error={}", log.topicPartition(), e.toString());
            }
        }
        return removed;
    }

    /** Closes and removes {@code .deleted} segments whose {@code file.delete.delay.ms} has passed; returns how many. */
    public int deleteExpiredFiles() {
        return deleter.deleteExpired(time.milliseconds());
    }

    /**
     * DeleteRecords on {@code tp} ({@link PartitionLog#deleteRecordsBefore}), then checkpoints the new log start
     * offset so that it survives a restart.
     *
     * @return the new log start offset (low watermark)
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException when the log does not exist
     */
    public long deleteRecords(TopicPartition tp, long offset) {
        PartitionLog log = get(tp).orElseThrow(() ->
                new org.apache.kafka.common.errors.UnknownTopicOrPartitionException("no log for " + tp));
        long before = log.logStartOffset();
        long lowWatermark = log.deleteRecordsBefore(offset);
        if (lowWatermark != before) {
            checkpointQuietly();
        }
        return lowWatermark;
    }

    /** The log cleaner (compaction of {@code cleanup.policy=compact} logs). */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** Segments waiting for {@code file.delete.delay.ms} (tests and metrics). */
    public int pendingDeletions() {
        return deleter.pendingCount();
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
            checkpointFailures.succeeded();
        } catch (IOException e) {
            checkpointFailures.failed("checkpoint write", e);
        }
    }

    /**
     * {@link PartitionLog#checkpointTruncation} of {@code log} (Kafka's {@code LogManager.truncateTo}, which calls
     * {@code checkpointLogRecoveryOffsetsInDir} once per directory after truncating a fetcher round's partitions):
     * unless a write since its truncation already did, rewrites the checkpoints of its directory, so that the recovery
     * point on disk comes down to the truncation point before new data is appended (and fsynced) above it. Left stale,
     * a power loss would make recovery trust a recovery point above the truncation, skip rescanning the segment
     * holding it, and bring back (with a hole below) segments whose removal was not yet durable. The write covers
     * every log of the directory, so the other truncated logs there skip theirs. Called without the log's lock (this
     * monitor is taken before log locks on close).
     *
     * @return false when the write failed: the logs it was to cover are due again, and refuse appends until it succeeds
     */
    private synchronized boolean checkpointTruncations(PartitionLog log) {
        LogDirectory dir = placement.get(log.topicPartition());
        if (closed || dir == null || logs.get(log.topicPartition()) != log || !log.truncationCheckpoint().isDue()) {
            return true;
        }
        List<PartitionLog> inDir = logsIn(dir);
        List<TruncationCheckpoint> due = inDir.stream().map(PartitionLog::truncationCheckpoint)
                .filter(TruncationCheckpoint::isDue).toList();
        due.forEach(TruncationCheckpoint::covered); // before the recovery points are read
        try {
            dir.writeCheckpoints(inDir);
            checkpointFailures.succeeded();
            return true;
        } catch (IOException e) {
            due.forEach(TruncationCheckpoint::failed);
            checkpointFailures.failed("checkpoint write after truncation", e);
            return false;
        }
    }

    /** Writes the recovery-point, log-start-offset and high-watermark checkpoints of every directory. */
    public synchronized void checkpoint() throws IOException {
        if (closed) {
            return;
        }
        for (LogDirectory dir : dirs) {
            dir.writeCheckpoints(logsIn(dir));
        }
    }

    /**
     * Flushes everything, writes checkpoints and producer snapshots, and marks the directories cleanly shut down. Every
     * log and directory is closed and unlocked even when some fail; a directory with a failure gets no clean-shutdown
     * marker, so the next start recovers it.
     *
     * @throws IOException the first failure: the logs were not all flushed (the caller must not report a clean stop)
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (lifecycle != null) {
            lifecycle.shutdownNow();
        }
        cleaner.close();
        background.shutdown();
        try {
            background.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException failure = null;
        List<ExecutorService> pools = new ArrayList<>();
        List<List<Future<Optional<IOException>>>> closes = new ArrayList<>();
        long start = time.milliseconds();
        for (LogDirectory dir : dirs) { // every directory at once, each on its own pool
            ExecutorService pool = Executors.newFixedThreadPool(recoveryThreadsPerDataDir,
                    StoragePools.threads("samsa-log-close-" + dir.path().getFileName()));
            pools.add(pool);
            List<Future<Optional<IOException>>> inDir = new ArrayList<>();
            for (PartitionLog log : logsIn(dir)) {
                inDir.add(pool.submit(closeTask(log)));
            }
            closes.add(inDir);
        }
        try {
            for (int i = 0; i < dirs.size(); i++) {
                LogDirectory dir = dirs.get(i);
                List<IOException> errors = StoragePools.awaitAll(closes.get(i), "closing " + dir.path());
                try {
                    dir.writeCheckpoints(logsIn(dir));
                    if (errors.isEmpty()) {
                        dir.writeCleanShutdownMarker();
                    } else if (failure == null) {
                        failure = errors.get(0);
                    }
                } catch (IOException | RuntimeException e) {
                    // no clean-shutdown marker: the next start recovers this directory
                    LOGGER.error("Checkpoint or clean-shutdown marker write failed dir={} error={}", dir.path(),
                            e.toString());
                    failure = failure == null ? new IOException("closing " + dir.path(), e) : failure;
                } finally {
                    dir.unlock();
                }
            }
        } finally {
            pools.forEach(ExecutorService::shutdownNow);
        }
        LOGGER.info("Closed logs partitions={} threads={} durationMs={}", logs.size(), recoveryThreadsPerDataDir,
                time.milliseconds() - start);
        logs.clear();
        deleter.deleteAll();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Simulates a process crash (tests only): releases locks and file handles without flushing, trimming,
     * snapshotting, checkpointing or writing the clean-shutdown marker.
     */
    synchronized void crashForTesting() throws IOException {
        abandon();
    }

    private synchronized void abandon() throws IOException {
        closed = true;
        if (lifecycle != null) {
            lifecycle.shutdownNow();
        }
        cleaner.close();
        background.shutdownNow();
        for (PartitionLog log : logs.values()) {
            log.closeHandlersForTesting();
        }
        for (LogDirectory dir : dirs) {
            dir.unlock();
        }
        logs.clear();
    }

    /** Closes one log; a failure is returned (and logged), not thrown, so that the other logs still close. */
    private static Callable<Optional<IOException>> closeTask(PartitionLog log) {
        return () -> {
            try {
                log.close();
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                LOGGER.error("Close failed topicPartition={} error={}", log.topicPartition(), e.toString());
                return Optional.of(new IOException("closing " + log.topicPartition(), e));
            }
        };
    }

    private List<PartitionLog> logsIn(LogDirectory dir) {
        List<PartitionLog> result = new ArrayList<>();
        placement.forEach((tp, d) -> {
            PartitionLog log = logs.get(tp);
            if (d == dir && log != null) {
                result.add(log);
            }
        });
        return result;
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("log manager is closed");
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Number of partitions per log directory (placement tests). */
    Map<Path, Integer> partitionCounts() {
        Map<Path, Integer> counts = new HashMap<>();
        for (LogDirectory dir : dirs) {
            counts.put(dir.path(), logsIn(dir).size());
        }
        return counts;
    }
}
