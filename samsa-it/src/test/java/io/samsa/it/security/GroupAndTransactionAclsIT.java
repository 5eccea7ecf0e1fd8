package io.samsa.it.security;

import static io.samsa.it.txn.Txn.Isolation.READ_COMMITTED;
import static io.samsa.it.txn.Txn.Isolation.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.group.GroupProtocols;
import io.samsa.it.txn.Txn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group and transactional-id ACLs against a real broker ({@code authorizer.class.name} = Kafka's StandardAuthorizer)
 * with real kafka-clients. Every client is {@code User:ANONYMOUS} on PLAINTEXT and
 * {@code allow.everyone.if.no.acl.found=true}: a resource without any ACL is open (so the test can administer the
 * broker), and a resource with ACLs for {@code User:alice} only is closed to the test's clients, as in Kafka. Runs
 * against Apache Kafka 4.3.1 with {@code -Dsamsa.it.reference=HOST:PORT} (a fresh broker with
 * {@code authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer} and
 * {@code allow.everyone.if.no.acl.found=true}).
 */
class GroupAndTransactionAclsIT {
    private static final String ANONYMOUS = "User:ANONYMOUS";
    private static final String ALICE = "User:alice";

    @TempDir
    static Path dir;
    /** The broker under test, or null when the test runs against {@code -Dsamsa.it.reference=HOST:PORT}. */
    static EmbeddedSamsa samsa;
    static Target broker;

    /**
     * Where the clients connect: an embedded Samsa, or (with {@code -Dsamsa.it.reference=HOST:PORT}) a fresh Apache
     * Kafka 4.3.1 started with the same three broker keys, to check that Kafka behaves as this test expects.
     */
    record Target(String bootstrapServers) {
        Admin admin() {
            return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        }

        void createTopic(String name) throws Exception {
            try (Admin admin = admin()) {
                admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
            }
        }

        KafkaProducer<String, String> producer() {
            return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                    new StringSerializer(), new StringSerializer());
        }

        KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
            Map<String, Object> p = new HashMap<>(extra);
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        String reference = System.getProperty("samsa.it.reference");
        if (reference != null) {
            broker = new Target(reference);
        } else {
            samsa = EmbeddedSamsa.start(dir, Map.of(
                    "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                    "allow.everyone.if.no.acl.found", "true",
                    "transaction.state.log.num.partitions", "4",
                    "offsets.topic.num.partitions", "4"));
            broker = new Target(samsa.bootstrapServers());
        }
        for (String topic : List.of("open", "secret", "locked", "denied-txn-target", "after-abort", "hide-me")) {
            broker.createTopic(topic);
        }
        try (KafkaProducer<String, String> producer = broker.producer()) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("open", "k" + i, "open-" + i));
                producer.send(new ProducerRecord<>("secret", "k" + i, "secret-" + i));
            }
            producer.flush();
        }
        createAcls(
                // groups: "locked-group" and the "other-" prefix are alice's; "reader-group" and "team-" are ours
                acl(ResourceType.GROUP, "locked-group", PatternType.LITERAL, ALICE, AclOperation.READ),
                acl(ResourceType.GROUP, "reader-group", PatternType.LITERAL, ANONYMOUS, AclOperation.READ),
                acl(ResourceType.GROUP, "team-", PatternType.PREFIXED, ANONYMOUS, AclOperation.READ),
                acl(ResourceType.GROUP, "other-", PatternType.PREFIXED, ALICE, AclOperation.READ),
                // topics: "secret" is alice's; "locked" readable by us, writable by alice only
                acl(ResourceType.TOPIC, "secret", PatternType.LITERAL, ALICE, AclOperation.READ),
                acl(ResourceType.TOPIC, "locked", PatternType.LITERAL, ALICE, AclOperation.WRITE),
                acl(ResourceType.TOPIC, "locked", PatternType.LITERAL, ANONYMOUS, AclOperation.READ),
                // transactional ids: "tx-denied" is alice's, "tx-ok" ours
                acl(ResourceType.TRANSACTIONAL_ID, "tx-denied", PatternType.LITERAL, ALICE, AclOperation.WRITE),
                acl(ResourceType.TRANSACTIONAL_ID, "tx-ok", PatternType.LITERAL, ANONYMOUS, AclOperation.WRITE));
    }

    @AfterAll
    static void stop() {
        if (samsa != null) {
            samsa.close();
        }
    }

    static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    static void createAcls(AclBinding... acls) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createAcls(List.of(acls)).all().get();
        }
    }

    static KafkaConsumer<String, String> groupConsumer(String protocol, String group) {
        Map<String, Object> props = new HashMap<>(GroupProtocols.consumerProps(protocol, group, 30_000));
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return broker.consumer(props);
    }

    @ParameterizedTest
    @MethodSource("io.samsa.it.group.GroupProtocols#all")
    void aConsumerWithoutReadOnItsGroupGetsGroupAuthorizationException(String protocol) {
        try (KafkaConsumer<String, String> consumer = groupConsumer(protocol, "locked-group")) {
            consumer.subscribe(List.of("open"));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200)))
                            .isInstanceOf(GroupAuthorizationException.class)
                            .satisfies(e -> assertThat(((GroupAuthorizationException) e).groupId())
                                    .isEqualTo("locked-group")));
        }
    }

    @Test
    void librdkafkaIsRefusedItsGroupTheSameWay() throws Exception {
        assumeTrue(new ProcessBuilder("kcat", "-V").start().waitFor() == 0, "kcat is not installed");
        // kcat's balanced consumer (-G) keeps retrying a refused group: it is stopped after 10 s
        Process kcat = new ProcessBuilder("timeout", "10", "kcat", "-b", broker.bootstrapServers(), "-G",
                "locked-group", "-o", "beginning", "open").redirectErrorStream(true)
                .redirectOutput(dir.resolve("kcat-group.txt").toFile()).start();
        assertThat(kcat.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        String output = java.nio.file.Files.readString(dir.resolve("kcat-group.txt"));
        assertThat(output).contains("Group authorization failed").doesNotContain("open-0");
    }

    @ParameterizedTest
    @MethodSource("io.samsa.it.group.GroupProtocols#all")
    void aConsumerOfItsGroupWithoutReadOnTheTopicGetsTopicAuthorizationException(String protocol) {
        try (KafkaConsumer<String, String> consumer = groupConsumer(protocol, "reader-group")) {
            consumer.subscribe(List.of("secret"));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200)))
                            .isInstanceOf(TopicAuthorizationException.class)
                            .satisfies(e -> assertThat(((TopicAuthorizationException) e).unauthorizedTopics())
                                    .containsExactly("secret")));
        }
    }

    @Test
    void committingOrFetchingOffsetsOfAnUnreadableTopicIsRefusedPerTopic() {
        TopicPartition secret = new TopicPartition("secret", 0);
        TopicPartition open = new TopicPartition("open", 0);
        try (KafkaConsumer<String, String> consumer = groupConsumer("classic", "team-offsets")) {
            // OffsetCommit: READ on the group, then READ on each topic
            assertThatThrownBy(() -> consumer.commitSync(Map.of(secret, new OffsetAndMetadata(3))))
                    .isInstanceOf(TopicAuthorizationException.class);
            consumer.commitSync(Map.of(open, new OffsetAndMetadata(2)));

            // OffsetFetch: DESCRIBE on each asked topic
            assertThatThrownBy(() -> consumer.committed(Set.of(secret)))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThat(consumer.committed(Set.of(open))).containsEntry(open, new OffsetAndMetadata(2));
        }
        try (Admin admin = broker.admin()) {
            // and a fetch of all the group's offsets leaves out nothing it may see (secret was never committed)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin
                    .listConsumerGroupOffsets("team-offsets").partitionsToOffsetAndMetadata().get())
                    .containsOnlyKeys(open));
        }
    }

    @Test
    void aPrefixedAclOpensEveryGroupWithThePrefix() {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = groupConsumer("consumer", "team-analytics")) {
            consumer.subscribe(List.of("open"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                return read.size() >= 5;
            });
            consumer.commitSync();
        }
        assertThat(read).containsExactly("open-0", "open-1", "open-2", "open-3", "open-4");

        try (KafkaConsumer<String, String> consumer = groupConsumer("classic", "other-analytics")) {
            consumer.subscribe(List.of("open"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200)))
                            .isInstanceOf(GroupAuthorizationException.class));
        }
    }

    @Test
    void aServerSideRegexSubscriptionResolvesOnlyToDescribableTopics() {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = groupConsumer("consumer", "team-regex")) {
            consumer.subscribe(new SubscriptionPattern("open|secret"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.topic()));
                return read.size() >= 5;
            });

            assertThat(read).containsOnly("open");
            assertThat(consumer.assignment()).containsExactly(new TopicPartition("open", 0));
        }
    }

    @Test
    void describingAConsumerGroupThatAssignsAnUndescribableTopicIsRefused() throws Exception {
        try (KafkaConsumer<String, String> consumer = groupConsumer("consumer", "team-hide");
             Admin admin = broker.admin()) {
            // Given a KIP-848 member that owns hide-me-0
            consumer.subscribe(List.of("hide-me"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });
            assertThat(admin.describeConsumerGroups(List.of("team-hide")).all().get().get("team-hide").members())
                    .hasSize(1);

            // When the topic becomes someone else's
            createAcls(acl(ResourceType.TOPIC, "hide-me", PatternType.LITERAL, ALICE, AclOperation.READ));

            // Then the group may no longer be described (its assignment would name the topic)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(() ->
                    admin.describeConsumerGroups(List.of("team-hide")).all().get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class));
        }
    }

    @Test
    void aTransactionalProducerWithoutWriteOnItsIdWritesNothing() {
        try (KafkaProducer<String, String> producer = Txn.producer(broker.bootstrapServers(), "tx-denied",
                Map.of())) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }

        assertThat(Txn.values(broker.bootstrapServers(), "denied-txn-target", READ_UNCOMMITTED)).isEmpty();
    }

    @Test
    void aTransactionWithoutWriteOnTheTopicFailsTheSendAndLeavesNothingToRead() throws Exception {
        try (KafkaProducer<String, String> producer = Txn.producer(broker.bootstrapServers(), "tx-ok", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();

            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("locked", "k", "must-not-land")).get());
            assertThat(failed).hasCauseInstanceOf(TopicAuthorizationException.class);
            // the transaction had no partition yet: it aborts (Kafka 4.3, Transactions V2) and the producer goes on
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("after-abort", "k", "committed"));
            producer.commitTransaction();
        }

        assertThat(Txn.values(broker.bootstrapServers(), "locked", READ_COMMITTED)).isEmpty();
        assertThat(Txn.values(broker.bootstrapServers(), "locked", READ_UNCOMMITTED)).isEmpty();
        assertThat(Txn.values(broker.bootstrapServers(), "after-abort", READ_COMMITTED)).containsExactly("committed");
    }

    @Test
    void listGroupsShowsOnlyDescribableGroupsUnlessTheClusterMayBeDescribed() throws Exception {
        // Given two groups with offsets, then an ACL that closes one of them
        try (Admin admin = broker.admin()) {
            for (String group : List.of("list-visible", "list-hidden")) {
                admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition("open", 0),
                        new OffsetAndMetadata(1))).all().get();
            }
        }
        createAcls(acl(ResourceType.GROUP, "list-hidden", PatternType.LITERAL, ALICE, AclOperation.DESCRIBE));
        // and the cluster may be altered (ACLs) but not described: a cluster without ACLs is open to everyone here
        AclBinding noClusterDescribe = new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster",
                PatternType.LITERAL), new AccessControlEntry(ANONYMOUS, "*", AclOperation.DESCRIBE,
                AclPermissionType.DENY));
        createAcls(acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, ANONYMOUS, AclOperation.ALL),
                noClusterDescribe);

        try (Admin admin = broker.admin()) {
            // Then the closed group is neither listed nor described nor deleted
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(groupIds(admin))
                    .contains("list-visible").doesNotContain("list-hidden"));
            assertThatThrownBy(() -> admin.describeConsumerGroups(List.of("list-hidden")).all().get())
                    .hasCauseInstanceOf(GroupAuthorizationException.class);
            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("list-hidden")).all().get())
                    .hasCauseInstanceOf(GroupAuthorizationException.class);

            // When the principal may describe the cluster, every group is listed
            admin.deleteAcls(List.of(noClusterDescribe.toFilter())).all().get();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(groupIds(admin))
                    .contains("list-visible", "list-hidden"));
        }
    }

    private static List<String> groupIds(Admin admin) throws Exception {
        return admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList();
    }

    @Test
    void listAndDescribeTransactionsShowOnlyDescribableTransactionalIds() throws Exception {
        for (String id : List.of("list-tx-visible", "list-tx-hidden")) {
            try (KafkaProducer<String, String> producer = Txn.producer(broker.bootstrapServers(), id, Map.of())) {
                producer.initTransactions();
            }
        }
        createAcls(acl(ResourceType.TRANSACTIONAL_ID, "list-tx-hidden", PatternType.LITERAL, ALICE,
                AclOperation.DESCRIBE));

        try (Admin admin = broker.admin()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.listTransactions().all()
                    .get().stream().map(TransactionListing::transactionalId).toList())
                    .contains("list-tx-visible").doesNotContain("list-tx-hidden"));
            assertThatThrownBy(() -> admin.describeTransactions(List.of("list-tx-hidden")).all().get())
                    .hasCauseInstanceOf(TransactionalIdAuthorizationException.class);
            assertThat(admin.describeTransactions(List.of("list-tx-visible")).all().get())
                    .containsKey("list-tx-visible");
        }
    }
}
