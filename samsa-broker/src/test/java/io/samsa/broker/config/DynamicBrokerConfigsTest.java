package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamicBrokerConfigsTest {
    private final DynamicBrokerConfigs dynamic = new DynamicBrokerConfigs(BrokerConfig.fromProperties(
            Map.of("log.segment.bytes", "2097152", "message.max.bytes", "5000")));

    @Test
    void theDynamicKeysAreTheTopicConfigsFirstBrokerSynonymsSamsaActsOn() {
        assertThat(DynamicBrokerConfigs.DYNAMIC_KEYS).contains("log.retention.ms", "log.segment.bytes",
                "log.roll.ms", "message.max.bytes", "compression.type", "log.message.timestamp.type",
                "log.cleanup.policy", "log.index.interval.bytes")
                .doesNotContain("num.io.threads", "log.retention.hours", "listeners", "log.dirs");
    }

    @Test
    void perBrokerBeatsClusterDefaultBeatsStatic() {
        assertThat(dynamic.logDefaults(Map.of(), Map.of()).segmentBytes()).isEqualTo(2_097_152);
        assertThat(dynamic.logDefaults(Map.of("log.segment.bytes", "3145728"), Map.of()).segmentBytes())
                .isEqualTo(3_145_728);
        assertThat(dynamic.logDefaults(Map.of("log.segment.bytes", "3145728"),
                Map.of("log.segment.bytes", "4194304")).segmentBytes()).isEqualTo(4_194_304);
        assertThat(dynamic.logDefaults(Map.of("log.retention.ms", "1000"), Map.of()).retentionMs()).isEqualTo(1000);
        assertThat(dynamic.logDefaults(Map.of(), Map.of("compression.type", "lz4")).compressionType())
                .isEqualTo("lz4");
    }

    @Test
    void nonDynamicKeysAndInvalidValuesAreRefused() {
        assertThatThrownBy(() -> dynamic.validate(Map.of("num.io.threads", "4", "log.dirs", "/x"), Map.of(), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Cannot update these configs dynamically: [log.dirs, num.io.threads]");
        assertThatThrownBy(() -> dynamic.validate(Map.of("log.segment.bytes", "12"), Map.of(), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log.segment.bytes");
        assertThatThrownBy(() -> dynamic.validate(Map.of("compression.type", "brotli"), Map.of(), false))
                .isInstanceOf(ConfigException.class);
        dynamic.validate(Map.of("log.retention.ms", "60000", "compression.type", "zstd"), Map.of(), true);
    }

    @Test
    void brokerSynonymsFollowKafka() {
        assertThat(DynamicBrokerConfigs.brokerSynonyms("log.retention.hours"))
                .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
        assertThat(DynamicBrokerConfigs.brokerSynonyms("num.io.threads")).containsExactly("num.io.threads");
    }

    @Test
    void replicationThrottleRatesAreAcceptedAndValidated() {
        // kafka-reassign-partitions --throttle sets these per broker; --verify deletes them (ADR 0013)
        dynamic.validate(Map.of("leader.replication.throttled.rate", "10000000",
                "follower.replication.throttled.rate", "10000000"), Map.of(), true);
        dynamic.validate(Map.of("replica.alter.log.dirs.io.max.bytes.per.second", "1"), Map.of(), false);

        assertThatThrownBy(() -> dynamic.validate(Map.of("leader.replication.throttled.rate", "-1"), Map.of(), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("leader.replication.throttled.rate");
    }
}
