package io.samsa.it.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.it.SamsaExtension;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DescribeConfigs, IncrementalAlterConfigs, AlterConfigs and CreatePartitions through kafka-clients 4.3.1. */
class ConfigsAdminIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("log.segment.bytes", "2097152"));
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        admin = samsa.get().admin();
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)
                .includeDocumentation(true)).all().get().get(resource);
    }

    private static void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.<ConfigResource, Collection<AlterConfigOp>>of(resource, List.of(ops)))
                .all().get();
    }

    private static AlterConfigOp op(String key, String value, OpType type) {
        return new AlterConfigOp(new ConfigEntry(key, value), type);
    }

    private static Throwable failure(ThrowingRunnable action) {
        try {
            action.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("no failure");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void describeShowsEveryTopicConfigWithSourcesAndSynonyms() throws Exception {
        samsa.get().createTopic("described", 1, Map.of("retention.ms", "60000"));

        Config config = describe(topic("described"));

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("60000");
        assertThat(retention.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.synonyms().getFirst().source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.type()).isEqualTo(ConfigEntry.ConfigType.LONG);
        assertThat(retention.documentation()).isNotBlank();
        ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("2097152");
        assertThat(segment.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(segment.synonyms()).extracting(ConfigEntry.ConfigSynonym::source)
                .containsExactly(ConfigSource.STATIC_BROKER_CONFIG, ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(config.entries()).hasSizeGreaterThan(25);
        assertThat(failure(() -> describe(topic("no-such-topic"))))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void incrementalAlterSetsDeletesAppendsAndValidates() throws Exception {
        samsa.get().createTopic("altered", 1, Map.of("segment.ms", "100000"));
        ConfigResource t = topic("altered");

        alter(t, op("retention.ms", "120000", OpType.SET), op("segment.ms", null, OpType.DELETE),
                op("cleanup.policy", "compact", OpType.APPEND));
        admin.incrementalAlterConfigs(Map.of(t, List.of(op("retention.ms", "1", OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all().get();

        Config config = describe(t);
        assertThat(config.get("retention.ms").value()).isEqualTo("120000");
        assertThat(config.get("segment.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");

        // Bad input: Kafka's error and nothing changes
        assertThat(failure(() -> alter(t, op("retention.ms", "abc", OpType.SET))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms");
        assertThat(failure(() -> alter(t, op("retention.ms", "5", OpType.SET), op("no.such.key", "1", OpType.SET))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Unknown topic config name: no.such.key");
        assertThat(failure(() -> alter(t, op("retention.ms", "5", OpType.APPEND))))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not LIST");
        assertThat(failure(() -> alter(t, op("segment.bytes", "10", OpType.SET))))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(describe(t).get("retention.ms").value()).isEqualTo("120000");
        assertThat(failure(() -> alter(topic("no-such-topic"), op("retention.ms", "5", OpType.SET))))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSet() throws Exception {
        samsa.get().createTopic("replaced", 1, Map.of("segment.ms", "100000", "retention.ms", "100000"));
        var request = new AlterConfigsRequest.Builder(Map.of(topic("replaced"), new AlterConfigsRequest.Config(
                List.of(new AlterConfigsRequest.ConfigEntry("retention.ms", "7000")))), false).build((short) 2);

        var response = (AlterConfigsResponse) RawClient.send(samsa.get().bootstrapServers(), request);

        AlterConfigsResponseData.AlterConfigsResourceResponse result = response.data().responses().getFirst();
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        Config config = describe(topic("replaced"));
        assertThat(config.get("retention.ms").value()).isEqualTo("7000");
        assertThat(config.get("segment.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void brokerConfigsAreDescribedAndDynamicOnesAltered() throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        samsa.get().createTopic("inherits", 1, Map.of());

        alter(clusterDefault, op("log.retention.ms", "3600000", OpType.SET));

        Config brokerConfig = describe(broker);
        assertThat(brokerConfig.get("num.io.threads").isReadOnly()).isTrue();
        assertThat(brokerConfig.get("log.segment.bytes").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(brokerConfig.get("log.retention.ms").source())
                .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertThat(describe(clusterDefault).entries()).extracting(ConfigEntry::name).contains("log.retention.ms");
        ConfigEntry inherited = describe(topic("inherits")).get("retention.ms");
        assertThat(inherited.value()).isEqualTo("3600000");
        assertThat(inherited.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertThat(failure(() -> alter(broker, op("num.io.threads", "4", OpType.SET))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Cannot update these configs");
        // Another broker id: the Admin would wait for broker 7 to exist, so ask over a raw connection
        var other = new DescribeConfigsRequestData();
        other.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("7"));
        var otherResult = ((DescribeConfigsResponse) RawClient.send(samsa.get().bootstrapServers(),
                new DescribeConfigsRequest.Builder(other).build((short) 4))).data().results().getFirst();
        assertThat(otherResult.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(otherResult.errorMessage()).isEqualTo("Unexpected broker id, expected 1 or empty string, "
                + "but received 7");

        alter(clusterDefault, op("log.retention.ms", null, OpType.DELETE));
        assertThat(describe(topic("inherits")).get("retention.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void createPartitionsGrowsATopicThatIsWritableAtOnce() throws Exception {
        samsa.get().createTopic("grown", 1, Map.of());

        admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(5)),
                new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertThat(partitions("grown")).isEqualTo(1);
        admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(3))).all().get();

        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            RecordMetadata written = producer.send(new ProducerRecord<>("grown", 2, "k", "v")).get();
            assertThat(written.partition()).isEqualTo(2);
            assertThat(written.offset()).isZero();
        }
        assertThat(partitions("grown")).isEqualTo(3);
        assertThat(failure(() -> admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(2))).all().get()))
                .isInstanceOf(InvalidPartitionsException.class)
                .hasMessage("The topic grown currently has 3 partition(s); 2 would not be an increase.");
        assertThat(failure(() -> admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(3))).all().get()))
                .isInstanceOf(InvalidPartitionsException.class).hasMessage("Topic already has 3 partition(s).");
        assertThat(failure(() -> admin.createPartitions(Map.of("never-made", NewPartitions.increaseTo(3)))
                .all().get())).isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(partitions("grown")).isEqualTo(3);
    }

    private static int partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }
}
