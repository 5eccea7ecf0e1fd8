package io.samsa.it.configs;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.SamsaExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Apache Kafka 4.3.1's kafka-configs (ConfigCommand) and kafka-topics --alter (TopicCommand) against Samsa. */
class KafkaToolsConfigsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static Tools.Result tool(String mainClass, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        all.addAll(List.of(args));
        return Tools.run(samsa.dir(), mainClass, all);
    }

    private static Tools.Result kafkaConfigs(String... args) throws Exception {
        return tool("kafka.admin.ConfigCommand", args);
    }

    private static Tools.Result kafkaTopics(String... args) throws Exception {
        return tool("org.apache.kafka.tools.TopicCommand", args);
    }

    @Test
    void kafkaConfigsAltersDescribesAndDeletesTopicConfigs() throws Exception {
        samsa.get().createTopic("kc-topic", 1, Map.of());

        Tools.Result added = kafkaConfigs("--alter", "--entity-type", "topics", "--entity-name", "kc-topic",
                "--add-config", "retention.ms=86400000,cleanup.policy=[compact,delete]");
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).contains("Completed updating config for topic kc-topic.");

        Tools.Result described = kafkaConfigs("--describe", "--entity-type", "topics", "--entity-name", "kc-topic");
        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.output()).contains("Dynamic configs for topic kc-topic are:")
                .contains("retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=86400000}")
                .contains("cleanup.policy=compact,delete");

        Tools.Result deleted = kafkaConfigs("--alter", "--entity-type", "topics", "--entity-name", "kc-topic",
                "--delete-config", "retention.ms");
        assertThat(deleted.exitCode()).as(deleted.output()).isZero();
        Tools.Result all = kafkaConfigs("--describe", "--all", "--entity-type", "topics", "--entity-name",
                "kc-topic");
        assertThat(all.output()).contains("All configs for topic kc-topic are:")
                .contains("retention.ms=604800000 sensitive=false synonyms={}")
                .contains("segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}");

        Tools.Result invalid = kafkaConfigs("--alter", "--entity-type", "topics", "--entity-name", "kc-topic",
                "--add-config", "retention.ms=soon");
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.output()).contains("InvalidConfigurationException").contains("retention.ms");
    }

    @Test
    void kafkaConfigsChangesBrokerDefaults() throws Exception {
        Tools.Result added = kafkaConfigs("--alter", "--entity-type", "brokers", "--entity-default",
                "--add-config", "log.retention.ms=7200000");
        assertThat(added.exitCode()).as(added.output()).isZero();

        Tools.Result described = kafkaConfigs("--describe", "--entity-type", "brokers", "--entity-default");
        assertThat(described.output()).contains("log.retention.ms=7200000");
        Tools.Result broker = kafkaConfigs("--describe", "--all", "--entity-type", "brokers", "--entity-name", "1");
        assertThat(broker.exitCode()).as(broker.output()).isZero();
        assertThat(broker.output()).contains("log.retention.ms=7200000 sensitive=false "
                + "synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=7200000");

        Tools.Result refused = kafkaConfigs("--alter", "--entity-type", "brokers", "--entity-name", "1",
                "--add-config", "num.io.threads=2");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Cannot update these configs dynamically");
        kafkaConfigs("--alter", "--entity-type", "brokers", "--entity-default", "--delete-config",
                "log.retention.ms");
    }

    @Test
    void kafkaTopicsAltersPartitionsAndDescribes() throws Exception {
        Tools.Result created = kafkaTopics("--create", "--topic", "kt-grow", "--partitions", "2",
                "--config", "retention.ms=3600000");
        assertThat(created.exitCode()).as(created.output()).isZero();

        Tools.Result grown = kafkaTopics("--alter", "--topic", "kt-grow", "--partitions", "4");
        assertThat(grown.exitCode()).as(grown.output()).isZero();
        Tools.Result shrunk = kafkaTopics("--alter", "--topic", "kt-grow", "--partitions", "3");
        assertThat(shrunk.exitCode()).isNotZero();
        assertThat(shrunk.output()).contains("The topic kt-grow currently has 4 partition(s); 3 would not be an "
                + "increase.");

        Tools.Result described = kafkaTopics("--describe", "--topic", "kt-grow");
        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.output()).contains("PartitionCount: 4").contains("Configs: retention.ms=3600000")
                .contains("Partition: 3");
    }
}
