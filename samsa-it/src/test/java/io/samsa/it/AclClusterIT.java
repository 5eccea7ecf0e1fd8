package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes with the ACL authorizer on: the inter-broker requests (follower Fetch, OffsetsForLeaderEpoch) need
 * CLUSTER_ACTION on the cluster, not READ on the topic. The brokers talk PLAINTEXT, so they are
 * {@code User:ANONYMOUS} like the clients; here the cluster resource has no ACL and
 * {@code allow.everyone.if.no.acl.found=true} lets them replicate, until a DENY CLUSTER_ACTION stops them.
 */
class AclClusterIT {
    static final String ANON = "User:ANONYMOUS";

    @TempDir
    Path dir;
    EmbeddedCluster cluster;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> props = new HashMap<>(ReplicationIT.FAST);
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "true");
        cluster = EmbeddedCluster.start(dir, 3, props);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static AclBinding acl(ResourceType type, String name, AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(ANON, "*", op, permission));
    }

    List<Integer> isr(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().get(0).isr().stream().map(Node::id).sorted().toList();
    }

    @Test
    void followersReplicateATopicTheirPrincipalMayNotReadAndStopWithoutClusterAction() throws Exception {
        try (Admin admin = cluster.admin()) {
            // Given a topic clients may write but not read
            admin.createTopics(List.of(new NewTopic("guarded", 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "3")))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(acl(ResourceType.TOPIC, "guarded", AclOperation.WRITE, AclPermissionType.ALLOW),
                    acl(ResourceType.TOPIC, "guarded", AclOperation.READ, AclPermissionType.DENY)))
                    .all().get(30, TimeUnit.SECONDS);
            cluster.awaitLeader("guarded", 0);

            // When a producer writes with acks=all and min.insync.replicas=3
            try (KafkaProducer<String, String> producer = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("guarded", 0, null, "v" + i)).get(60, TimeUnit.SECONDS);
                }
            }

            // Then every replica has the records on disk, while a consumer may not read them
            for (int id : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        SegmentFiles.values(cluster.logDir(id), "guarded", 0)).hasSize(10));
            }
            try (KafkaConsumer<String, String> consumer = cluster.consumer(Map.of())) {
                consumer.assign(List.of(new TopicPartition("guarded", 0)));
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 20; i++) {
                        consumer.poll(Duration.ofMillis(500));
                    }
                }).isInstanceOf(TopicAuthorizationException.class);
            }
            assertThat(isr(admin, "guarded")).containsExactly(1, 2, 3);

            // When the brokers' principal is denied CLUSTER_ACTION, followers are refused and leave the ISR
            admin.createAcls(List.of(acl(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CLUSTER_ACTION,
                    AclPermissionType.DENY))).all().get(30, TimeUnit.SECONDS);
            int leader = cluster.awaitLeader("guarded", 0);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(isr(admin, "guarded")).containsExactly(leader));
        }
    }
}
