package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.LogConfig;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicConfigsTest {

    @Test
    void validValuesOfEveryKindPass() {
        assertThatCode(() -> TopicConfigs.validate(Map.of())).doesNotThrowAnyException();
        assertThatCode(() -> TopicConfigs.validate(Map.ofEntries(
                Map.entry("cleanup.policy", "compact,delete"), Map.entry("compression.type", "zstd"),
                Map.entry("segment.bytes", "1048576"), Map.entry("segment.ms", "1"),
                Map.entry("retention.ms", "-1"), Map.entry("retention.bytes", "-5"),
                Map.entry("min.cleanable.dirty.ratio", "0.9"), Map.entry("unclean.leader.election.enable", "TRUE"),
                Map.entry("message.timestamp.type", "LogAppendTime"), Map.entry("compression.gzip.level", "-1"),
                Map.entry("local.retention.ms", "-2"), Map.entry("remote.storage.enable", "false"),
                Map.entry("leader.replication.throttled.replicas", "*"))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            no.such.config                  | 1       | Unknown topic config name: no.such.config
            message.downconversion.enable   | true    | Unknown topic config name: message.downconversion.enable
            message.format.version          | 3.0     | Unknown topic config name: message.format.version
            compression.type                | brotli  | Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer
            cleanup.policy                  | remove  | Invalid value remove for configuration cleanup.policy: String must be one of: compact, delete
            cleanup.policy                  | 'delete,delete' | Invalid value delete,delete for configuration cleanup.policy: Values must not be duplicated
            message.timestamp.type          | now     | Invalid value now for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime
            segment.bytes                   | 1000    | Invalid value 1000 for configuration segment.bytes: Value must be at least 1048576
            segment.bytes                   | 1GB     | Invalid value 1GB for configuration segment.bytes: Not a number of type INT
            segment.ms                      | 0       | Invalid value 0 for configuration segment.ms: Value must be at least 1
            segment.index.bytes             | 3       | Invalid value 3 for configuration segment.index.bytes: Value must be at least 4
            index.interval.bytes            | -1      | Invalid value -1 for configuration index.interval.bytes: Value must be at least 0
            max.message.bytes               | -1      | Invalid value -1 for configuration max.message.bytes: Value must be at least 0
            flush.messages                  | 0       | Invalid value 0 for configuration flush.messages: Value must be at least 1
            flush.ms                        | -1      | Invalid value -1 for configuration flush.ms: Value must be at least 0
            retention.ms                    | -2      | Invalid value -2 for configuration retention.ms: Value must be at least -1
            min.insync.replicas             | 0       | Invalid value 0 for configuration min.insync.replicas: Value must be at least 1
            min.cleanable.dirty.ratio       | 1.5     | Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1
            message.timestamp.after.max.ms  | -1      | Invalid value -1 for configuration message.timestamp.after.max.ms: Value must be at least 0
            compression.gzip.level          | 0       | Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9, or -1
            compression.zstd.level          | 23      | Invalid value 23 for configuration compression.zstd.level: Value must be no more than 22
            preallocate                     | maybe   | Invalid value maybe for configuration preallocate: Expected value to be either true or false
            internal.segment.bytes          | 13      | Invalid value 13 for configuration internal.segment.bytes: Value must be at least 14
            """)
    void invalidTopicConfigsAreRejectedWithKafkasMessage(String key, String value, String message) {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of(key, value)))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void compactionLagsMustBeOrdered() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "5")))
                .hasMessage("conflict in topic config setting: min.compaction.lag.ms (10) > max.compaction.lag.ms (5)");
    }

    @Test
    void withoutOverridesTheBrokerDefaultsApply() {
        LogConfig brokerDefaults = new LogConfig(2_097_152, 1000, 4096, 100, 5000, 10, 3000,
                TimestampType.LOG_APPEND_TIME, 7, 8, true);
        assertThat(TopicConfigs.toLogConfig(Map.of(), brokerDefaults)).isEqualTo(brokerDefaults);
        assertThat(TopicConfigs.toLogConfig(Map.of("retention.ms", "5"), brokerDefaults))
                .isEqualTo(brokerDefaults.withRetentionMs(5));
    }

    @Test
    void overridesApplyOnTopOfTheBrokerDefaults() {
        // When
        LogConfig config = TopicConfigs.toLogConfig(Map.ofEntries(
                Map.entry("segment.bytes", "2097152"), Map.entry("segment.ms", "60000"),
                Map.entry("segment.index.bytes", "1024"), Map.entry("index.interval.bytes", "1"),
                Map.entry("max.message.bytes", "100"), Map.entry("flush.messages", "1"), Map.entry("flush.ms", "0"),
                Map.entry("message.timestamp.type", "LogAppendTime"),
                Map.entry("message.timestamp.before.max.ms", "11"), Map.entry("message.timestamp.after.max.ms", "12"),
                Map.entry("cleanup.policy", "compact")), LogConfig.defaults());

        // Then
        assertThat(config).isEqualTo(new LogConfig(2_097_152, 60_000, 1024, 1, 100, 1, 0,
                TimestampType.LOG_APPEND_TIME, 11, 12, true).withDelete(false));
    }

    @Test
    void aTopicCanTurnCompactionOffAndTestsCanUseTinySegments() {
        LogConfig compacting = LogConfig.defaults().withSegmentBytes(LogConfig.DEFAULT_SEGMENT_BYTES);
        compacting = new LogConfig(compacting.segmentBytes(), compacting.segmentMs(), compacting.segmentIndexBytes(),
                compacting.indexIntervalBytes(), compacting.maxMessageBytes(), compacting.flushMessages(),
                compacting.flushMs(), compacting.timestampType(), compacting.timestampBeforeMaxMs(),
                compacting.timestampAfterMaxMs(), true);
        assertThat(TopicConfigs.toLogConfig(Map.of("cleanup.policy", "delete"), compacting).compact()).isFalse();
        assertThat(TopicConfigs.toLogConfig(Map.of("cleanup.policy", ""), compacting).compact()).isFalse();
        assertThat(TopicConfigs.toLogConfig(Map.of("internal.segment.bytes", "1024", "segment.bytes", "2097152"),
                LogConfig.defaults()).segmentBytes()).isEqualTo(1024);
    }

    @Test
    void toLogConfigRejectsWhatValidateRejects() {
        assertThatThrownBy(() -> TopicConfigs.toLogConfig(Map.of("segment.ms", "x"), LogConfig.defaults()))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void everyTopicKeyNamesItsBrokerSynonyms() {
        assertThat(TopicConfigs.brokerSynonyms("segment.bytes")).containsExactly("log.segment.bytes");
        assertThat(TopicConfigs.brokerSynonyms("retention.ms"))
                .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
        assertThat(TopicConfigs.brokerSynonyms("file.delete.delay.ms")).containsExactly("log.segment.delete.delay.ms");
        assertThat(TopicConfigs.brokerSynonyms("max.message.bytes")).containsExactly("message.max.bytes");
        assertThat(TopicConfigs.brokerSynonyms("remote.storage.enable")).isEmpty();
        assertThatThrownBy(() -> TopicConfigs.brokerSynonyms("nope")).hasMessage("Unknown topic config name: nope");

        // every synonym is a broker key Samsa knows
        TopicConfigs.definitions().keys().values().forEach(key -> assertThat(key.synonyms())
                .allSatisfy(synonym -> assertThat(BrokerConfigDefs.DEF.key(synonym)).as(key.name()).isPresent()));
    }

    @Test
    void kafkaTopicDefaultsAreDefined() {
        ConfigValues defaults = TopicConfigs.parse(Map.of());
        assertThat(defaults.getInt("segment.bytes")).isEqualTo(LogConfig.DEFAULT_SEGMENT_BYTES);
        assertThat(defaults.getLong("segment.ms")).isEqualTo(LogConfig.DEFAULT_SEGMENT_MS);
        assertThat(defaults.getLong("retention.ms")).isEqualTo(604_800_000L);
        assertThat(defaults.getInt("max.message.bytes")).isEqualTo(LogConfig.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(defaults.getList("cleanup.policy")).containsExactly("delete");
        assertThat(defaults.getDouble("min.cleanable.dirty.ratio")).isEqualTo(0.5);
        assertThat(defaults.getString("compression.type")).isEqualTo("producer");
        assertThat(defaults.getLong("local.retention.bytes")).isEqualTo(-2);
        assertThat(defaults.getInt("internal.segment.bytes")).isNull();
        assertThat(TopicConfigDefs.isInternal("internal.segment.bytes")).isTrue();
    }
}
