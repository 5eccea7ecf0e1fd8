package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.broker.security.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes whose only client and inter-broker listener is SSL with {@code ssl.client.auth=required}: the replica
 * fetchers and the transaction marker sender connect with the broker's own key store as client certificate (kafka-
 * clients' channel builder, as Kafka). An RF=3 topic with {@code min.insync.replicas=3} accepts {@code acks=all}
 * writes only when both followers replicate over TLS; a transaction spanning the three leaders commits (markers over
 * TLS) and reads back with read_committed.
 */
class TlsClusterIT {
    private static final String PASSWORD = "cluster-pw";
    @TempDir
    Path dir;
    EmbeddedCluster cluster;
    Map<String, Object> clientSsl;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster() throws Exception {
        TestPki.Identity ca = TestPki.ca("CN=Cluster CA");
        Path brokerStore = TestPki.keyStore(dir.resolve("broker.p12"), "PKCS12", PASSWORD, PASSWORD,
                TestPki.issue(ca, "CN=broker,O=Samsa"));
        Path clientStore = TestPki.keyStore(dir.resolve("client.p12"), "PKCS12", PASSWORD, PASSWORD,
                TestPki.issue(ca, "CN=client,O=Samsa"));
        Path trust = TestPki.trustStore(dir.resolve("trust.p12"), "PKCS12", PASSWORD, ca);
        Map<String, String> overrides = new HashMap<>();
        // the listener named PLAINTEXT is mapped to SSL (Kafka allows any name for any protocol)
        overrides.put("listener.security.protocol.map", "PLAINTEXT:SSL,CONTROLLER:PLAINTEXT");
        overrides.put("ssl.keystore.type", "PKCS12");
        overrides.put("ssl.keystore.location", brokerStore.toString());
        overrides.put("ssl.keystore.password", PASSWORD);
        overrides.put("ssl.truststore.type", "PKCS12");
        overrides.put("ssl.truststore.location", trust.toString());
        overrides.put("ssl.truststore.password", PASSWORD);
        overrides.put("ssl.client.auth", "required");
        overrides.put("offsets.topic.replication.factor", "3");
        overrides.put("transaction.state.log.replication.factor", "3");
        overrides.put("transaction.state.log.min.isr", "2");
        cluster = EmbeddedCluster.start(dir.resolve("nodes"), 3, overrides);
        clientSsl = new HashMap<>();
        clientSsl.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        clientSsl.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        clientSsl.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        clientSsl.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.toString());
        clientSsl.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, PASSWORD);
        clientSsl.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        clientSsl.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, clientStore.toString());
        clientSsl.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, PASSWORD);
    }

    @Test
    void replicationAndTransactionMarkersRunOverTls() throws Exception {
        startCluster();
        String topic = "tls-replicated";
        Map<String, Object> adminProps = new HashMap<>(clientSsl);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(adminProps)) {
            // Given an RF=3 topic that accepts writes only with all three replicas in sync
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "3")))).all().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                assertThat(d.partitions()).allSatisfy(p -> assertThat(p.isr()).hasSize(3));
            });

            // When a producer writes with acks=all (each write needs both followers to fetch it over TLS)
            Map<String, Object> producerProps = new HashMap<>(clientSsl);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), producerProps)) {
                for (int i = 0; i < 60; i++) {
                    producer.send(new ProducerRecord<>(topic, i % 3, "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
                }
            }

            // And a transaction spans the three partition leaders (markers sent broker to broker over TLS)
            Map<String, Object> txnProps = new HashMap<>(clientSsl);
            txnProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tls-txn");
            txnProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            try (KafkaProducer<String, String> txn = Clients.producer(cluster.bootstrapServers(), txnProps)) {
                txn.initTransactions();
                txn.beginTransaction();
                for (int p = 0; p < 3; p++) {
                    txn.send(new ProducerRecord<>(topic, p, "txn", "committed-" + p));
                }
                txn.commitTransaction();
            }

            // Then every record reads back with read_committed (the markers made the transaction visible)
            Map<String, Object> consumerProps = new HashMap<>(clientSsl);
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), consumerProps)) {
                List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                        new TopicPartition(topic, 2));
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= 63;
                });
            }
            assertThat(values).hasSize(63).contains("v0", "v59", "committed-0", "committed-1", "committed-2");
            // and the followers still hold all three replicas in sync
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.isr()).hasSize(3));
            // and the key store password is described as sensitive, without its value (Kafka's Type.PASSWORD)
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            ConfigEntry password = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS)
                    .get(broker).get("ssl.keystore.password");
            assertThat(password.isSensitive()).isTrue();
            assertThat(password.value()).isNull();
            assertThat(password.synonyms()).allSatisfy(syn -> assertThat(syn.value()).isNull());
        }
    }
}
