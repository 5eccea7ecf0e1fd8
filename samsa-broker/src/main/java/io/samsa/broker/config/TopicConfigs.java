package io.samsa.broker.config;

import io.samsa.storage.LogConfig;
import java.util.Map;

/**
 * Topic-level configs ({@code segment.bytes}, {@code retention.ms}, {@code cleanup.policy}, ...): Kafka's names,
 * types, ranges and defaults, one definition per key, and their translation into a {@link LogConfig}.
 */
public final class TopicConfigs {
    private TopicConfigs() {
    }

    /**
     * Validates topic-level overrides (as given to CreateTopics).
     *
     * @throws ConfigException for an unknown key or an invalid value (CreateTopics answers INVALID_CONFIG)
     */
    public static void validate(Map<String, String> topicConfigs) { throw new UnsupportedOperationException(); }

    /** The effective log settings of a topic: its overrides on top of the broker's defaults. */
    public static LogConfig toLogConfig(Map<String, String> topicConfigs, LogConfig brokerDefaults) { throw new UnsupportedOperationException(); }
}
