package io.samsa.storage;

import org.apache.kafka.common.record.TimestampType;

/**
 * The settings of one partition log, with Kafka's topic-level names and defaults ({@code LogConfig} in Kafka).
 * Immutable. Sizes are in bytes, times in milliseconds. Build variants with the {@code with*} methods.
 *
 * @param segmentBytes {@code segment.bytes}: roll when the active segment would exceed this (default 1 GiB)
 * @param segmentMs {@code segment.ms}: roll a non-empty segment older than this (default 7 days)
 * @param segmentIndexBytes {@code segment.index.bytes}: preallocated size of each offset/time index (default 10 MiB)
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes between offset index entries (default 4096)
 * @param maxMessageBytes {@code max.message.bytes}: largest accepted batch (default 1048588)
 * @param flushMessages {@code flush.messages}: fsync after this many appended records (default Long.MAX_VALUE: never)
 * @param flushMs {@code flush.ms}: fsync when the oldest unflushed append is older than this (default Long.MAX_VALUE)
 * @param timestampType {@code message.timestamp.type}: CreateTime (default) or LogAppendTime
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}: (default Long.MAX_VALUE)
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms}: (default 3600000)
 * @param compact {@code cleanup.policy}: true when it contains {@code compact} (keys are then required)
 * @param delete {@code cleanup.policy}: true when it contains {@code delete} (default): segments expire by retention
 * @param retentionMs {@code retention.ms}: delete segments whose newest record is older than this; -1 keeps forever (default 7 days)
 * @param retentionBytes {@code retention.bytes}: delete the oldest segments while the log is larger than this; -1 no limit (default)
 * @param deleteRetentionMs {@code delete.retention.ms}: how long compaction keeps tombstones (default 1 day)
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: compact when the uncompacted share of the log exceeds this (default 0.5)
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: records younger than this are not compacted (default 0)
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: records older than this are compacted whatever the dirty ratio (default Long.MAX_VALUE)
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long a deleted segment's files stay as {@code .deleted} (default 60000)
 * @param compressionType {@code compression.type}: {@code producer} (keep the producer's codec, default) or a codec name: batches are recompressed
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        int maxMessageBytes,
        long flushMessages,
        long flushMs,
        TimestampType timestampType,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs,
        boolean compact,
        boolean delete,
        long retentionMs,
        long retentionBytes,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        long fileDeleteDelayMs,
        String compressionType) {

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;
    public static final long DEFAULT_TIMESTAMP_AFTER_MAX_MS = 3_600_000L;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;

    /** The first eleven settings; the retention, cleaning and compression settings take Kafka's defaults. */
    public LogConfig(int segmentBytes, long segmentMs, int segmentIndexBytes, int indexIntervalBytes,
                     int maxMessageBytes, long flushMessages, long flushMs, TimestampType timestampType,
                     long timestampBeforeMaxMs, long timestampAfterMaxMs, boolean compact) {
        this(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs,
                timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact, true, DEFAULT_RETENTION_MS, -1L,
                DEFAULT_DELETE_RETENTION_MS, 0.5, 0L, Long.MAX_VALUE, DEFAULT_FILE_DELETE_DELAY_MS, "producer");
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_SEGMENT_INDEX_BYTES,
                DEFAULT_INDEX_INTERVAL_BYTES, DEFAULT_MAX_MESSAGE_BYTES, Long.MAX_VALUE, Long.MAX_VALUE,
                TimestampType.CREATE_TIME, Long.MAX_VALUE, DEFAULT_TIMESTAMP_AFTER_MAX_MS, false, true,
                DEFAULT_RETENTION_MS, -1L, DEFAULT_DELETE_RETENTION_MS, 0.5, 0L, Long.MAX_VALUE,
                DEFAULT_FILE_DELETE_DELAY_MS, "producer");
    }

    public LogConfig withSegmentBytes(int value) {
        return new LogConfig(value, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes,
                flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact, delete,
                retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withSegmentMs(long value) {
        return new LogConfig(segmentBytes, value, segmentIndexBytes, indexIntervalBytes, maxMessageBytes,
                flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact, delete,
                retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withSegmentIndexBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, value, indexIntervalBytes, maxMessageBytes,
                flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact, delete,
                retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withIndexIntervalBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, value, maxMessageBytes,
                flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact, delete,
                retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withMaxMessageBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, value,
                flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact, delete,
                retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withFlushMessages(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, value, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact,
                delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withFlushMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, value, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withTimestampType(TimestampType value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, value, timestampBeforeMaxMs, timestampAfterMaxMs, compact,
                delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withTimestampBeforeMaxMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, value, timestampAfterMaxMs, compact,
                delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withTimestampAfterMaxMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, value, compact,
                delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withCompact(boolean value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                value, delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withDelete(boolean value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, value, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withRetentionMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, value, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withRetentionBytes(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, value, deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withDeleteRetentionMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, value, minCleanableDirtyRatio, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withMinCleanableDirtyRatio(double value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, deleteRetentionMs, value, minCompactionLagMs,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withMinCompactionLagMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio, value,
                maxCompactionLagMs, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withMaxCompactionLagMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, value, fileDeleteDelayMs, compressionType);
    }

    public LogConfig withFileDeleteDelayMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, maxCompactionLagMs, value, compressionType);
    }

    public LogConfig withCompressionType(String value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes,
                maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                compact, delete, retentionMs, retentionBytes, deleteRetentionMs, minCleanableDirtyRatio,
                minCompactionLagMs, maxCompactionLagMs, fileDeleteDelayMs, value);
    }
}
