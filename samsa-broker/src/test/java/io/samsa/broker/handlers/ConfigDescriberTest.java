package io.samsa.broker.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.Test;

class ConfigDescriberTest {
    private static final Predicate<String> ALL = k -> true;

    private static ClusterImage image(Map<ConfigResource, Map<String, String>> configs) {
        return new ClusterImage("c", 1, 1, Map.of(), Map.of(), Map.<UUID, io.samsa.metadata.TopicImage>of(),
                configs, 0, 0);
    }

    private static ConfigDescriber describer(ClusterImage image) {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("log.retention.hours", "24",
                "log.segment.bytes", "2097152"));
        return new ConfigDescriber(new DynamicBrokerConfigs(config), image, true, true);
    }

    private static DescribeConfigsResourceResult entry(List<DescribeConfigsResourceResult> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> synonyms(DescribeConfigsResourceResult e) {
        return e.synonyms().stream().map(s -> ConfigSource.forId(s.source()) + ":" + s.name() + "=" + s.value())
                .toList();
    }

    @Test
    void topicEntriesCarryOverridesThenBrokerSynonymsInKafkasOrder() {
        // Given a topic override, a dynamic cluster default and static broker keys
        ClusterImage image = image(Map.of(ConfigResource.topic("t"), Map.of("retention.ms", "5000"),
                ConfigResource.clusterDefault(), Map.of("log.retention.ms", "1000")));

        // When
        List<DescribeConfigsResourceResult> entries = describer(image).topic(Map.of("retention.ms", "5000"), ALL);

        // Then
        DescribeConfigsResourceResult retention = entry(entries, "retention.ms");
        assertThat(retention.value()).isEqualTo("5000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(synonyms(retention)).containsExactly("TOPIC_CONFIG:retention.ms=5000",
                "DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=1000", "STATIC_BROKER_CONFIG:log.retention.hours=24",
                "DEFAULT_CONFIG:log.retention.hours=168");
        DescribeConfigsResourceResult segment = entry(entries, "segment.bytes");
        assertThat(segment.value()).isEqualTo("2097152");
        assertThat(segment.configSource()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(synonyms(segment)).containsExactly("STATIC_BROKER_CONFIG:log.segment.bytes=2097152",
                "DEFAULT_CONFIG:log.segment.bytes=1073741824");
        assertThat(segment.documentation()).isNotBlank();
        assertThat(entries).extracting(DescribeConfigsResourceResult::name)
                .contains("cleanup.policy", "compression.type", "max.message.bytes")
                .doesNotContain("internal.segment.bytes");
    }

    @Test
    void jaasConfigsAndPasswordsAreDescribedWithoutTheirValues() {
        // Given a JAAS config in a key Samsa reads without defining it (a PLAIN user's password inside)
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";"));
        ConfigDescriber describer = new ConfigDescriber(new DynamicBrokerConfigs(config), image(Map.of()), true, true);

        // When the broker's configs are described
        DescribeConfigsResourceResult jaas = entry(describer.broker(ALL), "plain.sasl.jaas.config");

        // Then the key is listed as sensitive, with no value anywhere (Kafka's PASSWORD keys)
        assertThat(jaas.isSensitive()).isTrue();
        assertThat(jaas.value()).isNull();
        assertThat(jaas.synonyms()).allSatisfy(synonym -> assertThat(synonym.value()).isNull());
    }

    @Test
    void aTopicKeyWhoseMostSpecificSynonymIsUnsetShowsNoSynonymsAsKafka() {
        List<DescribeConfigsResourceResult> entries = describer(image(Map.of())).topic(Map.of(), ALL);

        DescribeConfigsResourceResult retention = entry(entries, "retention.ms");
        assertThat(retention.value()).isEqualTo(Long.toString(24 * 3_600_000L));
        assertThat(retention.synonyms()).isEmpty();
        assertThat(retention.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertThat(entry(entries, "cleanup.policy").value()).isEqualTo("delete");
    }

    @Test
    void brokerEntriesShowDynamicSourcesAndReadOnlyKeys() {
        ClusterImage image = image(Map.of(ConfigResource.broker("1"), Map.of("message.max.bytes", "2000"),
                ConfigResource.clusterDefault(), Map.of("message.max.bytes", "3000")));

        List<DescribeConfigsResourceResult> perBroker = describer(image).broker(ALL);
        List<DescribeConfigsResourceResult> clusterDefault = describer(image).clusterDefault(ALL);

        DescribeConfigsResourceResult max = entry(perBroker, "message.max.bytes");
        assertThat(max.value()).isEqualTo("2000");
        assertThat(max.readOnly()).isFalse();
        assertThat(synonyms(max)).containsExactly("DYNAMIC_BROKER_CONFIG:message.max.bytes=2000",
                "DYNAMIC_DEFAULT_BROKER_CONFIG:message.max.bytes=3000", "DEFAULT_CONFIG:message.max.bytes=1048588");
        assertThat(entry(perBroker, "num.io.threads").readOnly()).isTrue();
        assertThat(entry(perBroker, "log.segment.bytes").configSource())
                .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG.id());
        assertThat(clusterDefault).singleElement().satisfies(e -> {
            assertThat(e.value()).isEqualTo("3000");
            assertThat(synonyms(e)).containsExactly("DYNAMIC_DEFAULT_BROKER_CONFIG:message.max.bytes=3000");
        });
    }
}
