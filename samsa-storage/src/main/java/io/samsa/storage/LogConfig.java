package io.samsa.storage;

import org.apache.kafka.common.record.TimestampType;

/**
 * The settings of one partition log, with Kafka's topic-level names and defaults ({@code LogConfig} in Kafka).
 * Immutable. Sizes are in bytes, times in milliseconds.
 *
 * @param segmentBytes            {@code segment.bytes}: roll when the active segment would exceed this (default 1 GiB)
 * @param segmentMs               {@code segment.ms}: roll a non-empty segment older than this (default 7 days)
 * @param segmentIndexBytes       {@code segment.index.bytes}: preallocated size of each offset/time index (default 10 MiB)
 * @param indexIntervalBytes      {@code index.interval.bytes}: bytes between offset index entries (default 4096)
 * @param maxMessageBytes         {@code max.message.bytes}: largest accepted batch (default 1048588)
 * @param flushMessages           {@code flush.messages}: fsync after this many appended records (default Long.MAX_VALUE: never)
 * @param flushMs                 {@code flush.ms}: fsync when the oldest unflushed append is older than this (default Long.MAX_VALUE)
 * @param timestampType           {@code message.timestamp.type}: CreateTime (default) or LogAppendTime
 * @param timestampBeforeMaxMs    {@code message.timestamp.before.max.ms} (default Long.MAX_VALUE)
 * @param timestampAfterMaxMs     {@code message.timestamp.after.max.ms} (default 3600000)
 * @param compact                 true when {@code cleanup.policy} contains {@code compact} (keys are then required)
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
        boolean compact) {

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;
    public static final long DEFAULT_TIMESTAMP_AFTER_MAX_MS = 3_600_000L;

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_SEGMENT_INDEX_BYTES,
                DEFAULT_INDEX_INTERVAL_BYTES, DEFAULT_MAX_MESSAGE_BYTES, Long.MAX_VALUE, Long.MAX_VALUE,
                TimestampType.CREATE_TIME, Long.MAX_VALUE, DEFAULT_TIMESTAMP_AFTER_MAX_MS, false);
    }

    public LogConfig withSegmentBytes(int bytes) {
        return new LogConfig(bytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages,
                flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withSegmentMs(long value) {
        return new LogConfig(segmentBytes, value, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withSegmentIndexBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, value, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withIndexIntervalBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, value, maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withMaxMessageBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, value, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withFlushMessages(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, value, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withFlushMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, value, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withTimestampType(TimestampType value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs, value, timestampBeforeMaxMs, timestampAfterMaxMs, compact);
    }

    public LogConfig withTimestampBeforeMaxMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs, timestampType, value, timestampAfterMaxMs, compact);
    }

    public LogConfig withTimestampAfterMaxMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, value, compact);
    }

    public LogConfig withCompact(boolean value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, maxMessageBytes, flushMessages, flushMs, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs, value);
    }
}
