package io.samsa.storage;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * One of the broker's {@code log.dirs}: holds its {@code .lock} (an exclusive {@link FileLock}), the clean-shutdown
 * marker {@code .kafka_cleanshutdown}, and the offset checkpoints {@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint} and {@code replication-offset-checkpoint} (high watermarks).
 *
 * <p>Thread-safety: checkpoint writes are serialized per file; the rest is used by {@link LogManager} under its lock.
 */
final class LogDirectory {
    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    static final String HIGH_WATERMARK = "replication-offset-checkpoint";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final OffsetCheckpointFile recoveryPoints;
    private final OffsetCheckpointFile logStartOffsets;
    private final OffsetCheckpointFile highWatermarks;

    private LogDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recoveryPoints = new OffsetCheckpointFile(path.resolve(OffsetCheckpointFile.RECOVERY_POINT));
        this.logStartOffsets = new OffsetCheckpointFile(path.resolve(OffsetCheckpointFile.LOG_START_OFFSET));
        this.highWatermarks = new OffsetCheckpointFile(path.resolve(HIGH_WATERMARK));
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws KafkaStorageException when another process (or this one) already holds the lock
     */
    static LogDirectory open(Path path) throws IOException {
        Files.createDirectories(path);
        FileChannel channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new KafkaStorageException("log directory " + path + " is locked by another broker process "
                    + "(" + path.resolve(LOCK_FILE) + "); is another instance running on the same log.dirs?");
        }
        return new LogDirectory(path, channel, lock);
    }

    Path path() {
        return path;
    }

    boolean hadCleanShutdown() {
        return Files.exists(path.resolve(CLEAN_SHUTDOWN_FILE));
    }

    void deleteCleanShutdownMarker() throws IOException {
        Files.deleteIfExists(path.resolve(CLEAN_SHUTDOWN_FILE));
        OffsetCheckpointFile.fsyncDirectory(path);
    }

    void writeCleanShutdownMarker() throws IOException {
        OffsetCheckpointFile.writeAtomically(path.resolve(CLEAN_SHUTDOWN_FILE), "{\"version\":0,\"brokerEpoch\":-1}");
    }

    /** Checkpointed offsets of every partition of this directory. */
    Map<TopicPartition, LogLoader.Checkpoints> readCheckpoints() throws IOException {
        Map<TopicPartition, Long> recovery = recoveryPoints.read();
        Map<TopicPartition, Long> start = logStartOffsets.read();
        Map<TopicPartition, Long> hw = highWatermarks.read();
        Map<TopicPartition, LogLoader.Checkpoints> result = new HashMap<>();
        for (Map<TopicPartition, Long> m : java.util.List.of(recovery, start, hw)) {
            m.keySet().forEach(tp -> result.put(tp, new LogLoader.Checkpoints(recovery.getOrDefault(tp, -1L),
                    start.getOrDefault(tp, -1L), hw.getOrDefault(tp, -1L))));
        }
        return result;
    }

    /** Writes the three checkpoints for {@code logs} (the partitions living in this directory). */
    void writeCheckpoints(Iterable<PartitionLog> logs) throws IOException {
        Map<TopicPartition, Long> recovery = new HashMap<>();
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> hw = new HashMap<>();
        for (PartitionLog log : logs) {
            recovery.put(log.topicPartition(), log.recoveryPoint());
            start.put(log.topicPartition(), log.logStartOffset());
            hw.put(log.topicPartition(), log.highWatermark());
        }
        recoveryPoints.write(recovery);
        logStartOffsets.write(start);
        highWatermarks.write(hw);
    }

    /** Releases the lock. */
    void unlock() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
