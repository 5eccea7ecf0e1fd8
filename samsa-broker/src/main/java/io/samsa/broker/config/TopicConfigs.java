package io.samsa.broker.config;

import io.samsa.storage.LogConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.TimestampType;

/**
 * Topic-level configs ({@code segment.bytes}, {@code retention.ms}, {@code cleanup.policy}, ...): Kafka's names,
 * types, ranges and defaults, one definition per key ({@link TopicConfigDefs}), and their translation into a
 * {@link LogConfig}. Thread-safe.
 */
public final class TopicConfigs {
    private TopicConfigs() {
    }

    /** The definitions of every topic key. */
    public static ConfigDef definitions() {
        return TopicConfigDefs.DEF;
    }

    /**
     * The broker keys that give {@code topicKey} its default, most specific first (DescribeConfigs synonyms):
     * {@code retention.ms} → {@code log.retention.ms, log.retention.minutes, log.retention.hours}. Empty for keys
     * without a broker default ({@code remote.storage.enable}, ...).
     *
     * @throws ConfigException for an unknown topic key
     */
    public static List<String> brokerSynonyms(String topicKey) {
        return TopicConfigDefs.DEF.key(topicKey).orElseThrow(() -> unknown(topicKey)).synonyms();
    }

    /**
     * Validates topic-level overrides (as given to CreateTopics).
     *
     * @throws ConfigException for an unknown key or an invalid value (CreateTopics answers INVALID_CONFIG)
     */
    public static void validate(Map<String, String> topicConfigs) {
        parse(topicConfigs);
    }

    /**
     * Validates and parses topic-level overrides; absent keys take Kafka's topic defaults.
     *
     * @throws ConfigException for an unknown key or an invalid value
     */
    public static ConfigValues parse(Map<String, String> topicConfigs) {
        Set<String> unknown = TopicConfigDefs.DEF.unknownKeys(topicConfigs);
        if (!unknown.isEmpty()) {
            throw unknown(unknown.iterator().next());
        }
        ConfigValues values = TopicConfigDefs.DEF.parse(topicConfigs);
        long minLag = values.getLong("min.compaction.lag.ms");
        long maxLag = values.getLong("max.compaction.lag.ms");
        if (minLag > maxLag) {
            throw new ConfigException("conflict in topic config setting: min.compaction.lag.ms (" + minLag
                    + ") > max.compaction.lag.ms (" + maxLag + ")");
        }
        return values;
    }

    /**
     * The effective log settings of a topic: its overrides on top of the broker's defaults. A test-only
     * {@code internal.segment.bytes} wins over {@code segment.bytes}.
     *
     * @throws ConfigException for an unknown key or an invalid value
     */
    public static LogConfig toLogConfig(Map<String, String> topicConfigs, LogConfig brokerDefaults) {
        ConfigValues v = parse(topicConfigs);
        int segmentBytes = v.isExplicit(TopicConfigDefs.INTERNAL_SEGMENT_BYTES)
                ? v.getInt(TopicConfigDefs.INTERNAL_SEGMENT_BYTES)
                : v.isExplicit("segment.bytes") ? v.getInt("segment.bytes") : brokerDefaults.segmentBytes();
        return new LogConfig(
                segmentBytes,
                v.isExplicit("segment.ms") ? v.getLong("segment.ms") : brokerDefaults.segmentMs(),
                v.isExplicit("segment.index.bytes") ? v.getInt("segment.index.bytes") : brokerDefaults.segmentIndexBytes(),
                v.isExplicit("index.interval.bytes") ? v.getInt("index.interval.bytes") : brokerDefaults.indexIntervalBytes(),
                v.isExplicit("max.message.bytes") ? v.getInt("max.message.bytes") : brokerDefaults.maxMessageBytes(),
                v.isExplicit("flush.messages") ? v.getLong("flush.messages") : brokerDefaults.flushMessages(),
                v.isExplicit("flush.ms") ? v.getLong("flush.ms") : brokerDefaults.flushMs(),
                v.isExplicit("message.timestamp.type")
                        ? TimestampType.forName(v.getString("message.timestamp.type")) : brokerDefaults.timestampType(),
                v.isExplicit("message.timestamp.before.max.ms")
                        ? v.getLong("message.timestamp.before.max.ms") : brokerDefaults.timestampBeforeMaxMs(),
                v.isExplicit("message.timestamp.after.max.ms")
                        ? v.getLong("message.timestamp.after.max.ms") : brokerDefaults.timestampAfterMaxMs(),
                v.isExplicit("cleanup.policy") ? v.getList("cleanup.policy").contains("compact") : brokerDefaults.compact())
                .withDelete(v.isExplicit("cleanup.policy")
                        ? v.getList("cleanup.policy").contains("delete") : brokerDefaults.delete())
                .withRetentionMs(v.isExplicit("retention.ms") ? v.getLong("retention.ms") : brokerDefaults.retentionMs())
                .withRetentionBytes(v.isExplicit("retention.bytes")
                        ? v.getLong("retention.bytes") : brokerDefaults.retentionBytes())
                .withDeleteRetentionMs(v.isExplicit("delete.retention.ms")
                        ? v.getLong("delete.retention.ms") : brokerDefaults.deleteRetentionMs())
                .withMinCleanableDirtyRatio(v.isExplicit("min.cleanable.dirty.ratio")
                        ? v.getDouble("min.cleanable.dirty.ratio") : brokerDefaults.minCleanableDirtyRatio())
                .withMinCompactionLagMs(v.isExplicit("min.compaction.lag.ms")
                        ? v.getLong("min.compaction.lag.ms") : brokerDefaults.minCompactionLagMs())
                .withMaxCompactionLagMs(v.isExplicit("max.compaction.lag.ms")
                        ? v.getLong("max.compaction.lag.ms") : brokerDefaults.maxCompactionLagMs())
                .withFileDeleteDelayMs(v.isExplicit("file.delete.delay.ms")
                        ? v.getLong("file.delete.delay.ms") : brokerDefaults.fileDeleteDelayMs())
                .withCompressionType(v.isExplicit("compression.type")
                        ? v.getString("compression.type") : brokerDefaults.compressionType());
    }

    private static ConfigException unknown(String key) {
        return new ConfigException("Unknown topic config name: " + key);
    }
}
