package io.samsa.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Owns every partition log of one broker under its log directories (Kafka's {@code LogManager}): loads and
 * recovers them at start (a clean-shutdown marker {@code .kafka_cleanshutdown} skips recovery; otherwise segments
 * past the {@code recovery-point-offset-checkpoint} are scanned and torn tails truncated), creates and deletes
 * partitions, runs the {@code flush.ms} policy, and on close flushes, checkpoints and writes the marker.
 *
 * <p>Thread-safe.
 */
public final class LogManager implements Closeable {
    LogManager() {
    }

    /**
     * Opens (creating if needed) the given log directories and loads every partition found there.
     *
     * @param logDirs       {@code log.dirs}; new partitions go to the directory holding the fewest
     * @param defaultConfig the broker-level log settings, used for loaded partitions until {@link #updateConfig}
     * @param time          clock for segment.ms, flush.ms and LogAppendTime (inject a mock in tests)
     */
    public static LogManager open(java.util.List<Path> logDirs, LogConfig defaultConfig, Time time) throws IOException { throw new UnsupportedOperationException(); }

    /** Every loaded partition log. */
    public Map<TopicPartition, PartitionLog> logs() { throw new UnsupportedOperationException(); }

    public Optional<PartitionLog> get(TopicPartition tp) { throw new UnsupportedOperationException(); }

    /**
     * Returns the log of {@code tp}, creating its directory and {@code partition.metadata} (with the topic id) when
     * it does not exist yet.
     */
    public PartitionLog getOrCreate(TopicPartition tp, Uuid topicId, LogConfig config) throws IOException { throw new UnsupportedOperationException(); }

    /** Replaces the settings of an existing log (next roll/append uses them). */
    public void updateConfig(TopicPartition tp, LogConfig config) { throw new UnsupportedOperationException(); }

    /** Closes and removes the partition's log and its files. No-op when absent. */
    public void delete(TopicPartition tp) throws IOException { throw new UnsupportedOperationException(); }

    /** Flushes every log whose oldest unflushed append is older than its {@code flush.ms}. Called periodically. */
    public void flushDirtyLogs() { throw new UnsupportedOperationException(); }

    /** Flushes everything, writes checkpoints and producer snapshots, and marks the directories cleanly shut down. */
    @Override
    public void close() throws IOException { throw new UnsupportedOperationException(); }
}
