package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ACL authorizer on a real broker with real clients ({@code authorizer.class.name} = Kafka's StandardAuthorizer).
 * Clients on the PLAINTEXT listener are {@code User:ANONYMOUS}: the broker first runs with
 * {@code super.users=User:ANONYMOUS}, which creates the topics, writes the records and creates the ACLs through the
 * Admin client (CreateAcls); it then restarts on the same data without super users, so every test below runs as a
 * principal that has exactly the ACLs of {@link #ACLS} — read back from the metadata log after the restart.
 */
class AclAuthorizationIT {
    static final String ANON = "User:ANONYMOUS";
    static final List<AclBinding> ACLS = List.of(
            allow("open", PatternType.LITERAL, AclOperation.READ),
            allow("open", PatternType.LITERAL, AclOperation.WRITE),
            allow("pre-", PatternType.PREFIXED, AclOperation.READ),
            allow("pre-", PatternType.PREFIXED, AclOperation.WRITE),
            allow("mixed-", PatternType.PREFIXED, AclOperation.ALL),
            new AclBinding(new ResourcePattern(ResourceType.TOPIC, "mixed-secret", PatternType.LITERAL),
                    new AccessControlEntry(ANON, "*", AclOperation.WRITE, AclPermissionType.DENY)),
            allow("write-only", PatternType.LITERAL, AclOperation.WRITE),
            // the secret topic has an ACL, for someone else
            new AclBinding(new ResourcePattern(ResourceType.TOPIC, "secret", PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW)),
            new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                    new AccessControlEntry(ANON, "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)));
    static final List<String> TOPICS = List.of("open", "pre-a", "pre-b", "mixed-ok", "mixed-secret", "write-only",
            "secret", "hidden", "mixed-doomed");

    static Path dir;
    static EmbeddedSamsa samsa;
    static Admin admin;

    static AclBinding allow(String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, pattern),
                new AccessControlEntry(ANON, "*", op, AclPermissionType.ALLOW));
    }

    static Map<String, String> authorizer(String superUsers) {
        return Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", superUsers);
    }

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("samsa-acl-it-");
        // Given a super user that creates the topics, the records and the ACLs
        try (EmbeddedSamsa setup = EmbeddedSamsa.start(dir, authorizer(ANON)); Admin superAdmin = setup.admin()) {
            List<NewTopic> topics = new ArrayList<>();
            TOPICS.forEach(t -> topics.add(new NewTopic(t, 1, (short) 1)));
            superAdmin.createTopics(topics).all().get();
            superAdmin.createAcls(ACLS).all().get();
            try (KafkaProducer<String, String> producer = setup.producer(Map.of())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("secret", "s" + i)).get();
                    producer.send(new ProducerRecord<>("mixed-secret", "m" + i)).get();
                    producer.send(new ProducerRecord<>("write-only", "w" + i)).get();
                }
            }
        }
        // When the broker restarts without super users
        samsa = EmbeddedSamsa.start(dir, authorizer(""));
        admin = samsa.admin();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (samsa != null) {
            samsa.close();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aclsSurviveARestartInTheMetadataLog() throws Exception {
        Collection<AclBinding> stored = admin.describeAcls(AclBindingFilter.ANY).values().get();

        assertThat(stored).containsExactlyInAnyOrderElementsOf(ACLS);
    }

    @Test
    void withoutWriteNotASingleByteIsAppended() throws Exception {
        List<String> before = SegmentFiles.values(samsa.logDir(), "mixed-secret", 0);
        assertThat(before).containsExactly("m0", "m1", "m2");

        // ALL is allowed on mixed-*, WRITE is denied on mixed-secret: Metadata succeeds, Produce is refused
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of("enable.idempotence", false))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("mixed-secret", "intruder")).get())
                    .cause().isInstanceOf(TopicAuthorizationException.class);
            // the same producer still writes where it may
            producer.send(new ProducerRecord<>("mixed-ok", "fine")).get();
        }
        assertThat(SegmentFiles.values(samsa.logDir(), "mixed-secret", 0)).isEqualTo(before);
        assertThat(SegmentFiles.values(samsa.logDir(), "mixed-ok", 0)).containsExactly("fine");
    }

    @Test
    void librdkafkaIsRefusedTheSameWay() throws Exception {
        Kcat.requireInstalled();
        List<String> before = SegmentFiles.values(samsa.logDir(), "mixed-secret", 0);

        Kcat.Result produced = Kcat.run(dir, "kcat-intruder\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                List.of("-b", samsa.bootstrapServers(), "-P", "-t", "mixed-secret", "-p", "0"));
        Kcat.Result consumed = Kcat.run(dir, new byte[0],
                List.of("-b", samsa.bootstrapServers(), "-C", "-t", "write-only", "-p", "0", "-o", "beginning", "-e"));

        assertThat(produced.exitCode()).isNotZero();
        assertThat(produced.stderr()).contains("Topic authorization failed");
        assertThat(consumed.stdout()).doesNotContain("w0");
        assertThat(consumed.stderr()).contains("Topic authorization failed");
        assertThat(SegmentFiles.values(samsa.logDir(), "mixed-secret", 0)).isEqualTo(before);
    }

    @Test
    void aTopicWithoutAnyAclOfThePrincipalIsDeniedByDefault() throws Exception {
        List<String> before = SegmentFiles.values(samsa.logDir(), "secret", 0);
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of("max.block.ms", 10_000))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secret", "intruder")).get())
                    .cause().isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("hidden", "intruder")).get())
                    .cause().isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(SegmentFiles.values(samsa.logDir(), "secret", 0)).isEqualTo(before).hasSize(3);
        assertThat(SegmentFiles.values(samsa.logDir(), "hidden", 0)).isEmpty();
    }

    @Test
    void withoutReadNothingIsFetched() {
        // WRITE implies DESCRIBE: the consumer finds the partition and its offsets, then Fetch is refused
        try (KafkaConsumer<String, String> consumer = samsa.consumer(Map.of())) {
            TopicPartition tp = new TopicPartition("write-only", 0);
            consumer.assign(List.of(tp));
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 3L);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) {
                    assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void literalAndPrefixedReadAndWriteWork() throws Exception {
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of())) {
            producer.send(new ProducerRecord<>("open", "o")).get();
            producer.send(new ProducerRecord<>("pre-a", "a")).get();
            producer.send(new ProducerRecord<>("pre-b", "b")).get();
        }
        try (KafkaConsumer<String, String> consumer = samsa.consumer(Map.of())) {
            List<TopicPartition> tps = List.of(new TopicPartition("open", 0), new TopicPartition("pre-a", 0),
                    new TopicPartition("pre-b", 0));
            consumer.assign(tps);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= 3;
            });
            assertThat(values).containsExactlyInAnyOrder("o", "a", "b");
        }
    }

    @Test
    void metadataListsOnlyTheTopicsThePrincipalMayDescribe() throws Exception {
        assertThat(admin.listTopics().names().get())
                .contains("open", "pre-a", "pre-b", "mixed-ok", "mixed-secret", "write-only")
                .doesNotContain("secret", "hidden");
        // a topic the principal may not describe is refused whether it exists or not
        for (String topic : List.of("secret", "no-such-topic")) {
            assertThatThrownBy(() -> admin.describeTopics(List.of(topic)).allTopicNames().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        var described = admin.describeTopics(List.of("mixed-secret"),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get();
        assertThat(described.get("mixed-secret").authorizedOperations())
                .contains(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE)
                .doesNotContain(AclOperation.WRITE);
    }

    @Test
    void topicAdministrationNeedsItsOwnOperations() throws Exception {
        // no CREATE anywhere
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("new-topic", 1, (short) 1))).all().get())
                .cause().isInstanceOf(TopicAuthorizationException.class);
        // DELETE only where ALL is allowed
        assertThatThrownBy(() -> admin.deleteTopics(List.of("open")).all().get())
                .cause().isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                "open"))).all().get()).cause().isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER,
                "1"), List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms", "1000"),
                AlterConfigOp.OpType.SET)))).all().get()).cause().isInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> admin.electLeaders(ElectionType.PREFERRED, null).all().get())
                .cause().isInstanceOf(ClusterAuthorizationException.class);
        // DESCRIBE on the cluster is granted
        assertThat(admin.describeLogDirs(List.of(1)).allDescriptions().get()).containsKey(1);
    }

    @Test
    void aclsCanOnlyBeChangedWithAlterOnTheCluster() {
        assertThatThrownBy(() -> admin.createAcls(List.of(allow("secret", PatternType.LITERAL, AclOperation.ALL)))
                .all().get()).cause().isInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get())
                .cause().isInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void aPrincipalWithDeleteRemovesItsTopicAndTheAclsStay() throws Exception {
        admin.deleteTopics(List.of("mixed-doomed")).all().get();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !admin.listTopics().names().get().contains("mixed-doomed"));
        assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).hasSize(ACLS.size());
    }
}
