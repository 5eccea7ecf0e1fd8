package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Topic administration through the Java Admin client, with Kafka's exception types for every mistake. */
class AdminIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("num.partitions", "3"));
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

    @Test
    void describeClusterShowsOneNodeThatIsAlsoTheController() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        List<Node> nodes = List.copyOf(cluster.nodes().get());
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).port()).isEqualTo(samsa.get().broker().port());
        assertThat(cluster.controller().get()).isNotNull().extracting(Node::id).isEqualTo(nodes.get(0).id());
        assertThat(cluster.clusterId().get()).isNotBlank();
    }

    @Test
    void createListDescribeAndDeleteATopic() throws Exception {
        // When a topic is created with configs
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                .configs(Map.of("retention.ms", "60000", "segment.bytes", "1048576", "cleanup.policy", "delete"))));
        created.all().get();
        Uuid id = created.topicId("orders").get();

        // Then the result, the listing and the description agree on a non-zero, stable topic id
        assertThat(created.numPartitions("orders").get()).isEqualTo(3);
        assertThat(created.replicationFactor("orders").get()).isEqualTo(1);
        assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);
        Map<String, TopicListing> listings = admin.listTopics().namesToListings().get();
        assertThat(listings).containsKey("orders");
        assertThat(listings.get("orders").topicId()).isEqualTo(id);
        TopicDescription description = describe("orders");
        assertThat(description.topicId()).isEqualTo(id);
        assertThat(describe("orders").topicId()).isEqualTo(id);
        assertThat(admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds().get().get(id).name())
                .isEqualTo("orders");

        // And every partition is led by the one node, which is the only replica and in-sync
        int nodeId = List.copyOf(admin.describeCluster().nodes().get()).get(0).id();
        assertThat(description.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        for (TopicPartitionInfo p : description.partitions()) {
            assertThat(p.leader().id()).isEqualTo(nodeId);
            assertThat(p.replicas()).extracting(Node::id).containsExactly(nodeId);
            assertThat(p.isr()).extracting(Node::id).containsExactly(nodeId);
        }

        // When it is deleted, then it is gone, and a topic of the same name gets a new id
        admin.deleteTopics(List.of("orders")).all().get();
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.listTopics().names().get().contains("orders"));
        assertCause(() -> describe("orders"), UnknownTopicOrPartitionException.class);
        Uuid again = admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).topicId("orders").get();
        assertThat(again).isNotEqualTo(id).isNotEqualTo(Uuid.ZERO_UUID);
    }

    @Test
    void validateOnlyChecksButCreatesNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("dry-run", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
                .all().get();
        assertThat(admin.listTopics().names().get()).doesNotContain("dry-run");

        admin.createTopics(List.of(new NewTopic("exists-already", 1, (short) 1))).all().get();
        assertCause(() -> admin.createTopics(List.of(new NewTopic("exists-already", 1, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all().get(), TopicExistsException.class);
    }

    @Test
    void defaultsComeFromTheBrokerConfig() throws Exception {
        admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(), Optional.empty()))).all().get();
        TopicDescription d = describe("defaults");
        assertThat(d.partitions()).hasSize(3);
        assertThat(d.partitions().get(0).replicas()).hasSize(1);
    }

    static Stream<Arguments> invalidTopics() {
        return Stream.of(
                Arguments.of("taken", new NewTopic("taken", 1, (short) 1), TopicExistsException.class),
                Arguments.of("slash in name", new NewTopic("bad/name", 1, (short) 1), InvalidTopicException.class),
                Arguments.of("250 chars", new NewTopic("t".repeat(250), 1, (short) 1), InvalidTopicException.class),
                Arguments.of("dot", new NewTopic(".", 1, (short) 1), InvalidTopicException.class),
                Arguments.of("dot dot", new NewTopic("..", 1, (short) 1), InvalidTopicException.class),
                Arguments.of("bad config value", new NewTopic("bad-value", 1, (short) 1)
                        .configs(Map.of("retention.ms", "soon")), InvalidConfigurationException.class),
                Arguments.of("unknown config", new NewTopic("bad-key", 1, (short) 1)
                        .configs(Map.of("no.such.config", "1")), InvalidConfigurationException.class),
                Arguments.of("0 partitions", new NewTopic("zero", 0, (short) 1), InvalidPartitionsException.class),
                Arguments.of("rf 3 on one node", new NewTopic("rf3", 1, (short) 3),
                        InvalidReplicationFactorException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTopics")
    void invalidCreationsFailWithKafkasExceptionTypes(String why, NewTopic topic, Class<? extends Throwable> expected)
            throws Exception {
        admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all().toCompletionStage()
                .handle((v, e) -> null).toCompletableFuture().get();
        assertCause(() -> admin.createTopics(List.of(topic)).all().get(), expected);
        if (expected != TopicExistsException.class) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic.name());
        }
    }

    @Test
    void deletingAnUnknownTopicFails() {
        assertCause(() -> admin.deleteTopics(List.of("never-was")).all().get(), UnknownTopicOrPartitionException.class);
    }

    @Test
    void producingToANewTopicCreatesItWithNumPartitions() throws Exception {
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            producer.send(new ProducerRecord<>("auto-created", "k", "v")).get(30, TimeUnit.SECONDS);
        }
        assertThat(describe("auto-created").partitions()).hasSize(3);
    }

    @Test
    void withoutAutoCreationASendToAnUnknownTopicFails(@TempDir Path otherDir) throws Exception {
        try (EmbeddedSamsa strict = EmbeddedSamsa.start(otherDir, Map.of("auto.create.topics.enable", "false"));
             KafkaProducer<String, String> producer = strict.producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000));
             Admin strictAdmin = strict.admin()) {
            Throwable failure = catchFailure(
                    () -> producer.send(new ProducerRecord<>("not-there", "k", "v")).get(30, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOfAny(TimeoutException.class, UnknownTopicOrPartitionException.class);
            assertThat(strictAdmin.listTopics().names().get()).doesNotContain("not-there");
        }
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    interface Call {
        void run() throws Exception;
    }

    /** The failure of {@code call}, unwrapped from ExecutionException. */
    private static Throwable catchFailure(Call call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }

    private static void assertCause(Call call, Class<? extends Throwable> expected) {
        assertThat(catchFailure(call)).isInstanceOf(expected);
    }
}
