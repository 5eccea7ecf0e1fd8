package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.BOOLEAN;
import static io.samsa.broker.config.ConfigType.DOUBLE;
import static io.samsa.broker.config.ConfigType.INT;
import static io.samsa.broker.config.ConfigType.LIST;
import static io.samsa.broker.config.ConfigType.LONG;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.atLeast;
import static io.samsa.broker.config.Validators.between;
import static io.samsa.broker.config.Validators.listOf;
import static io.samsa.broker.config.Validators.oneOf;

import java.util.List;

/**
 * The topic-level keys of Apache Kafka 4.3 ({@code TopicConfig} / {@code LogConfig}): names, types, defaults, valid
 * values, and for each the broker keys that supply its default (its DescribeConfigs synonyms, most specific first).
 * {@code message.format.version}, {@code message.timestamp.difference.max.ms} and
 * {@code message.downconversion.enable} were removed in Kafka 4 and are unknown here too.
 */
public final class TopicConfigDefs {
    /** Kafka's {@code LegacyRecord.RECORD_OVERHEAD_V0}: the smallest possible record, the floor of test segments. */
    public static final int RECORD_OVERHEAD_V0 = 14;
    /** Kafka 4.3's floor for {@code segment.bytes}/{@code log.segment.bytes} (1 MiB). */
    public static final int MIN_SEGMENT_BYTES = 1024 * 1024;
    /** {@code internal.segment.bytes}: Kafka's test-only override of {@code segment.bytes} below 1 MiB. */
    public static final String INTERNAL_SEGMENT_BYTES = "internal.segment.bytes";
    /** The compression types a topic accepts ({@code BrokerCompressionType}). */
    public static final List<String> COMPRESSION_TYPES =
            List.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");

    /** gzip levels: 1..9, or -1 for the codec's default. */
    static final Validator GZIP_LEVEL = Validators.describe("[1,...,9] or -1", (key, value) -> {
        int level = (Integer) value;
        if (level != -1 && (level < 1 || level > 9)) {
            throw new ConfigException(key, value, "Value must be between 1 and 9, or -1");
        }
    });

    private static final long WEEK_MS = 7L * 24 * 60 * 60 * 1000;

    /** The definitions, one per topic key. */
    public static final ConfigDef DEF = new ConfigDef()
            .define("segment.bytes", INT, 1024 * 1024 * 1024, atLeast(MIN_SEGMENT_BYTES), MEDIUM,
                    "Segment file size; retention and cleaning work a file at a time.", "log.segment.bytes")
            .define("segment.ms", LONG, WEEK_MS, atLeast(1), MEDIUM,
                    "Time after which a non-empty segment is rolled even if not full.", "log.roll.ms", "log.roll.hours")
            .define("segment.jitter.ms", LONG, 0L, atLeast(0), MEDIUM,
                    "Maximum random jitter subtracted from the scheduled segment roll time.",
                    "log.roll.jitter.ms", "log.roll.jitter.hours")
            .define("segment.index.bytes", INT, 10 * 1024 * 1024, atLeast(4), MEDIUM,
                    "Size of the offset and time indexes, preallocated and shrunk on roll.", "log.index.size.max.bytes")
            .define("flush.messages", LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                    "Force an fsync after this many messages; default: leave flushing to the OS.",
                    "log.flush.interval.messages")
            .define("flush.ms", LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    "Force an fsync when the oldest unflushed message is older than this (ms).",
                    "log.flush.interval.ms", "log.flush.scheduler.interval.ms")
            .define("retention.bytes", LONG, -1L, null, MEDIUM,
                    "Maximum partition size before old segments are deleted; -1: no size limit.",
                    "log.retention.bytes")
            .define("retention.ms", LONG, WEEK_MS, atLeast(-1), MEDIUM,
                    "Maximum age of a segment before it is deleted; -1: no time limit.",
                    "log.retention.ms", "log.retention.minutes", "log.retention.hours")
            .define("max.message.bytes", INT, 1024 * 1024 + 12, atLeast(0), MEDIUM,
                    "Largest record batch accepted (after compression).", "message.max.bytes")
            .define("index.interval.bytes", INT, 4096, atLeast(0), MEDIUM,
                    "Bytes between offset index entries.", "log.index.interval.bytes")
            .define("delete.retention.ms", LONG, 24L * 60 * 60 * 1000, atLeast(0), MEDIUM,
                    "How long tombstones are kept in compacted topics.", "log.cleaner.delete.retention.ms")
            .define("min.compaction.lag.ms", LONG, 0L, atLeast(0), MEDIUM,
                    "Minimum time a message remains uncompacted.", "log.cleaner.min.compaction.lag.ms")
            .define("max.compaction.lag.ms", LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                    "Maximum time a message remains ineligible for compaction.", "log.cleaner.max.compaction.lag.ms")
            .define("file.delete.delay.ms", LONG, 60_000L, atLeast(0), MEDIUM,
                    "Time to wait before deleting a file from the filesystem.", "log.segment.delete.delay.ms")
            .define("min.cleanable.dirty.ratio", DOUBLE, 0.5, between(0, 1), MEDIUM,
                    "Minimum ratio of dirty log to total log for the log to be cleaned.",
                    "log.cleaner.min.cleanable.ratio")
            .define("cleanup.policy", LIST, List.of("delete"), listOf("compact", "delete"), MEDIUM,
                    "Retention policy: delete old segments, compact by key, or both.", "log.cleanup.policy")
            .define("unclean.leader.election.enable", BOOLEAN, false, null, MEDIUM,
                    "Allow a replica outside the ISR to become leader as a last resort (may lose data).",
                    "unclean.leader.election.enable")
            .define("min.insync.replicas", INT, 1, atLeast(1), MEDIUM,
                    "Minimum in-sync replicas that must acknowledge an acks=all write.", "min.insync.replicas")
            .define("compression.type", STRING, "producer", oneOf(COMPRESSION_TYPES.toArray(String[]::new)), MEDIUM,
                    "Final compression of the topic; 'producer' keeps the producer's codec.", "compression.type")
            .define("compression.gzip.level", INT, -1, GZIP_LEVEL, MEDIUM,
                    "Compression level when compression.type is gzip.", "compression.gzip.level")
            .define("compression.lz4.level", INT, 9, between(1, 17), MEDIUM,
                    "Compression level when compression.type is lz4.", "compression.lz4.level")
            .define("compression.zstd.level", INT, 3, between(-131072, 22), MEDIUM,
                    "Compression level when compression.type is zstd.", "compression.zstd.level")
            .define("preallocate", BOOLEAN, false, null, MEDIUM,
                    "Preallocate the segment file on disk when creating a segment.", "log.preallocate")
            .define("message.timestamp.type", STRING, "CreateTime", oneOf("CreateTime", "LogAppendTime"), MEDIUM,
                    "Whether record timestamps are the producer's create time or the log append time.",
                    "log.message.timestamp.type")
            .define("message.timestamp.before.max.ms", LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    "How far a CreateTime timestamp may lie before the broker's time (ms).",
                    "log.message.timestamp.before.max.ms")
            .define("message.timestamp.after.max.ms", LONG, 3_600_000L, atLeast(0), MEDIUM,
                    "How far a CreateTime timestamp may lie after the broker's time (ms).",
                    "log.message.timestamp.after.max.ms")
            .define("leader.replication.throttled.replicas", LIST, List.of(), null, MEDIUM,
                    "Replicas ([partition]:[broker],... or *) throttled on the leader side.")
            .define("follower.replication.throttled.replicas", LIST, List.of(), null, MEDIUM,
                    "Replicas ([partition]:[broker],... or *) throttled on the follower side.")
            .define("remote.storage.enable", BOOLEAN, false, null, MEDIUM,
                    "Enable tiered storage for the topic.")
            .define("local.retention.ms", LONG, -2L, atLeast(-2), MEDIUM,
                    "Time to keep local segments of a tiered topic; -2: use retention.ms.", "log.local.retention.ms")
            .define("local.retention.bytes", LONG, -2L, atLeast(-2), MEDIUM,
                    "Local size limit of a tiered topic; -2: use retention.bytes.", "log.local.retention.bytes")
            .define("remote.log.copy.disable", BOOLEAN, false, null, MEDIUM,
                    "Make the tiered data of the topic read-only.")
            .define("remote.log.delete.on.disable", BOOLEAN, false, null, MEDIUM,
                    "Delete tiered data when tiered storage is disabled for the topic.")
            .define(INTERNAL_SEGMENT_BYTES, INT, null, atLeast(RECORD_OVERHEAD_V0), MEDIUM,
                    "Testing only: segment size overriding segment.bytes, without its 1 MiB floor.");

    private TopicConfigDefs() {
    }

    /** True for Kafka's internal (testing-only) topic keys, which DescribeConfigs does not list. */
    public static boolean isInternal(String key) {
        return key.startsWith("internal.");
    }
}
