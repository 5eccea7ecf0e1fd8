package io.samsa.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.Kcat;
import io.samsa.broker.security.TestPki;
import io.samsa.metadata.ScramCredentialEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SASL_SSL (TLS, then SASL) with each mechanism: kafka-clients producers and consumers with PLAIN, SCRAM-SHA-256,
 * SCRAM-SHA-512 and OAUTHBEARER, and kcat (librdkafka) with SCRAM-SHA-512, against one real broker whose only client
 * listener with authentication is SASL_SSL (PEM key store, the clients trust the test CA).
 */
class SaslSslIT {
    private static final String JWKS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    @TempDir
    static Path dir;
    static EmbeddedSamsa samsa;
    static TestJwts jwts;
    static Path caPem;
    static String bootstrap;

    @BeforeAll
    static void start() throws Exception {
        TestPki.Identity ca = TestPki.ca("CN=Samsa Test CA");
        TestPki.Identity server = TestPki.issue(ca, "CN=localhost,O=Samsa");
        caPem = TestPki.write(dir.resolve("ca.pem"), TestPki.pemCertificates(ca.certificate()));
        Path keyStore = TestPki.write(dir.resolve("server.pem"), TestPki.pemKeyAndChain(server));
        Path jwks = dir.resolve("jwks.json");
        jwts = TestJwts.publishedAt(jwks);
        System.setProperty(JWKS_PROPERTY, jwks.toUri().toString());
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_SSL://localhost:0");
        props.put("ssl.keystore.type", "PEM");
        props.put("ssl.keystore.location", keyStore.toString());
        props.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
        props.put("listener.name.sasl_ssl.plain.sasl.jaas.config", SaslIT.PLAIN_JAAS);
        props.put("sasl.oauthbearer.jwks.endpoint.url", jwks.toUri().toString());
        props.put("sasl.oauthbearer.expected.audience", TestJwts.AUDIENCE);
        props.put("sasl.oauthbearer.expected.issuer", TestJwts.ISSUER);
        samsa = EmbeddedSamsa.start(dir.resolve("broker"), props);
        bootstrap = samsa.broker().bootstrapServers("SASL_SSL");
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            ScramCredential credential = new ScramFormatter(
                    org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(mechanism))
                    .generateCredential("carol-secret", 4096);
            samsa.broker().quorum().alterScramCredentials(List.of(new ScramCredentialEntry("carol",
                    ScramMechanism.fromMechanismName(mechanism).type(), credential.salt(), credential.storedKey(),
                    credential.serverKey(), credential.iterations())), List.of()).get(30, TimeUnit.SECONDS);
        }
        samsa.createTopic("secure", 1, Map.of());
    }

    @AfterAll
    static void stop() {
        if (samsa != null) {
            samsa.close();
        }
        System.clearProperty(JWKS_PROPERTY);
    }

    private static Map<String, Object> client(String mechanism, String jaas) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caPem.toString());
        config.put(SaslConfigs.SASL_MECHANISM, mechanism);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
        return config;
    }

    private static Map<String, Object> security(String mechanism) throws Exception {
        return switch (mechanism) {
            case "PLAIN" -> client(mechanism, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"alice\" password=\"alice-secret\";");
            case "OAUTHBEARER" -> {
                Map<String, Object> config = client(mechanism, "org.apache.kafka.common.security.oauthbearer."
                        + "OAuthBearerLoginModule required token=\"" + jwts.valid("dave") + "\";");
                config.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, StaticTokenLoginHandler.class.getName());
                yield config;
            }
            default -> client(mechanism, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"carol\" password=\"carol-secret\";");
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"})
    void eachMechanismProducesAndConsumesOverTls(String mechanism) throws Exception {
        Map<String, Object> security = security(mechanism);
        Map<String, Object> producerConfig = new HashMap<>(security);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        long first;
        try (var producer = new KafkaProducer<String, String>(producerConfig)) {
            first = producer.send(new ProducerRecord<>("secure", mechanism, mechanism + "-0")).get(30, TimeUnit.SECONDS)
                    .offset();
            for (int i = 1; i < 20; i++) {
                producer.send(new ProducerRecord<>("secure", mechanism, mechanism + "-" + i));
            }
            producer.flush();
        }
        Map<String, Object> consumerConfig = new HashMap<>(security);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (var consumer = new KafkaConsumer<String, String>(consumerConfig)) {
            TopicPartition partition = new TopicPartition("secure", 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, first);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (mechanism.equals(r.key())) {
                        values.add(r.value());
                    }
                }
                return values.size() >= 20;
            });
            assertThat(values).hasSize(20).startsWith(mechanism + "-0").endsWith(mechanism + "-19");
        }
    }

    @Test
    void kcatWithScramSha512OverTls() throws Exception {
        Kcat.requireInstalled();
        List<String> common = List.of("-b", bootstrap, "-X", "security.protocol=sasl_ssl",
                "-X", "sasl.mechanisms=SCRAM-SHA-512", "-X", "sasl.username=carol", "-X", "sasl.password=carol-secret",
                "-X", "ssl.ca.location=" + caPem);
        List<String> produce = new ArrayList<>(common);
        produce.addAll(List.of("-t", "secure", "-K", ":", "-P"));
        Kcat.Result produced = Kcat.run(dir, "kcat:over-tls\n".getBytes(StandardCharsets.UTF_8), produce);
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();
        List<String> consume = new ArrayList<>(common);
        consume.addAll(List.of("-t", "secure", "-C", "-o", "beginning", "-e", "-f", "%k=%s\\n"));
        Kcat.Result consumed = Kcat.run(dir, new byte[0], consume);
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines()).contains("kcat=over-tls");
    }
}
