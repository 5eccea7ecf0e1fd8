package io.samsa.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.Kcat;
import io.samsa.metadata.ScramCredentialEntry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * SASL_PLAINTEXT with real clients against a real broker: kafka-clients producers and consumers with PLAIN,
 * SCRAM-SHA-256/512 (credentials in the metadata log) and OAUTHBEARER (JWTs signed by a test key published as a JWKS
 * file), kcat (librdkafka) with PLAIN and SCRAM, librdkafka OAUTHBEARER (python3-confluent-kafka's oauth_cb),
 * refusals with the broker's log line, and KIP-368 re-authentication
 * every 3 s under a long-running consumer. Hostile raw-socket cases live in {@link SaslHostileIT}.
 */
class SaslIT {
    static final String LISTENER = "SASL_PLAINTEXT";
    static final String PYTHON = "/usr/bin/python3";
    static final long REAUTH_MS = 3_000;
    static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    @TempDir
    static Path dir;
    static EmbeddedSamsa samsa;
    static TestJwts jwts;
    static String sasl;
    ListAppender<ILoggingEvent> brokerLog;

    @BeforeAll
    static void startBroker() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        jwts = TestJwts.publishedAt(jwks);
        samsa = EmbeddedSamsa.start(dir.resolve("broker"), brokerConfig(jwks));
        sasl = samsa.broker().bootstrapServers(LISTENER);
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            addScramUser("bob", "bob-secret", mechanism);
        }
        samsa.createTopic("events", 1, Map.of());
    }

    /** The broker config of a SASL_PLAINTEXT listener with all four mechanisms (also used by SaslHostileIT). */
    static Map<String, String> brokerConfig(Path jwks) {
        // Kafka 4 reads a JWKS only from an allow-listed URL (a JVM-wide system property, as for Kafka's broker).
        String url = jwks.toUri().toString();
        System.setProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls", url);
        Map<String, String> config = new HashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0");
        config.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
        config.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS);
        config.put("listener.name.sasl_plaintext.connections.max.reauth.ms", Long.toString(REAUTH_MS));
        config.put("sasl.oauthbearer.jwks.endpoint.url", url);
        config.put("sasl.oauthbearer.expected.audience", TestJwts.AUDIENCE);
        config.put("sasl.oauthbearer.expected.issuer", TestJwts.ISSUER);
        return config;
    }

    static void addScramUser(String user, String password, String mechanism) throws Exception {
        ScramMechanism m = ScramMechanism.fromMechanismName(mechanism);
        ScramCredential credential = new ScramFormatter(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(mechanism))
                .generateCredential(password, 4096);
        samsa.broker().quorum().alterScramCredentials(List.of(new ScramCredentialEntry(user, m.type(),
                credential.salt(), credential.storedKey(), credential.serverKey(), credential.iterations())), List.of())
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() {
        if (samsa != null) {
            samsa.close();
        }
        System.clearProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls");
    }

    @BeforeEach
    void captureBrokerLog() {
        brokerLog = new ListAppender<>();
        brokerLog.start();
        Logger logger = (Logger) LoggerFactory.getLogger("io.samsa.protocol.SaslAuthenticator");
        logger.setLevel(Level.DEBUG);
        logger.addAppender(brokerLog);
    }

    @AfterEach
    void releaseBrokerLog() {
        ((Logger) LoggerFactory.getLogger("io.samsa.protocol.SaslAuthenticator")).detachAppender(brokerLog);
    }

    static Map<String, Object> plain(String user, String password) {
        return client("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
    }

    static Map<String, Object> scram(String mechanism, String user, String password) {
        return client(mechanism, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
    }

    static Map<String, Object> oauth(String jwt) {
        Map<String, Object> config = client("OAUTHBEARER",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required token=\"" + jwt + "\";");
        config.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, StaticTokenLoginHandler.class.getName());
        return config;
    }

    private static Map<String, Object> client(String mechanism, String jaas) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, sasl);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, mechanism);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
        return config;
    }

    static KafkaProducer<String, String> producer(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return new KafkaProducer<>(config);
    }

    static KafkaConsumer<String, String> consumer(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config);
    }

    /** Produces {@code count} records keyed by {@code tag} and reads them back with the same credentials. */
    static void roundTrip(Map<String, Object> security, String tag, int count) throws Exception {
        TopicPartition partition = new TopicPartition("events", 0);
        long start;
        try (KafkaProducer<String, String> producer = producer(security)) {
            start = producer.send(new ProducerRecord<>("events", tag, tag + "-0")).get(30, TimeUnit.SECONDS).offset();
            for (int i = 1; i < count; i++) {
                producer.send(new ProducerRecord<>("events", tag, tag + "-" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = consumer(security)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, start);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (tag.equals(r.key())) {
                        values.add(r.value());
                    }
                }
                return values.size() >= count;
            });
            assertThat(values).hasSize(count).startsWith(tag + "-0").endsWith(tag + "-" + (count - 1));
        }
    }

    static SaslAuthenticationException refusal(Map<String, Object> security) {
        try (KafkaProducer<String, String> producer = producer(security)) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
                    producer.send(new ProducerRecord<>("events", "refused")).get(30, TimeUnit.SECONDS));
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                if (t instanceof SaslAuthenticationException sae) {
                    return sae;
                }
            }
            throw new AssertionError("Expected a SaslAuthenticationException", thrown);
        }
    }

    List<String> logLines(String containing) {
        return brokerLog.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(containing))
                .toList();
    }

    @Test
    void plainUsersFromTheJaasConfigProduceAndConsume() throws Exception {
        roundTrip(plain("alice", "alice-secret"), "plain", 50);
        assertThat(logLines("Authenticated User:alice")).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void scramUsersFromTheMetadataLogProduceAndConsume(String mechanism) throws Exception {
        roundTrip(scram(mechanism, "bob", "bob-secret"), mechanism, 50);
        assertThat(logLines("Authenticated User:bob")).anyMatch(line -> line.contains(mechanism));
    }

    @Test
    void signedJwtProducesAndConsumes() throws Exception {
        roundTrip(oauth(jwts.valid("carol")), "oauth", 50);
        assertThat(logLines("Authenticated User:carol")).anyMatch(line -> line.contains("OAUTHBEARER"));
    }

    @Test
    void wrongPlainPasswordIsRefusedAndLoggedOnce() {
        SaslAuthenticationException refused = refusal(plain("alice", "not-her-password"));

        assertThat(refused).hasMessageContaining("Authentication failed: Invalid username or password");
        await().atMost(Duration.ofSeconds(10)).until(() -> !logLines("Failed authentication").isEmpty());
        List<String> lines = logLines("Failed authentication");
        assertThat(lines.getFirst()).contains("127.0.0.1", "mechanism=PLAIN", "user=alice",
                "Invalid username or password");
    }

    @Test
    void wrongScramPasswordIsRefused() {
        SaslAuthenticationException refused = refusal(scram("SCRAM-SHA-256", "bob", "guess"));

        assertThat(refused).hasMessageContaining("Authentication failed during authentication due to invalid "
                + "credentials with SASL mechanism SCRAM-SHA-256");
        await().atMost(Duration.ofSeconds(10)).until(() -> !logLines("Failed authentication").isEmpty());
        assertThat(logLines("Failed authentication").getFirst()).contains("mechanism=SCRAM-SHA-256", "user=bob");
    }

    @Test
    void unknownScramUserIsRefused() {
        assertThat(refusal(scram("SCRAM-SHA-512", "mallory", "x")))
                .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"expired", "unsigned", "unknown-key", "wrong-audience"})
    void invalidJwtsAreRefusedWithTheReasonLogged(String kind) throws Exception {
        String token = switch (kind) {
            case "expired" -> jwts.expired("carol");
            case "unsigned" -> jwts.unsigned("carol");
            case "unknown-key" -> jwts.unknownKey("carol");
            default -> jwts.wrongAudience("carol");
        };

        refusal(oauth(token));

        await().atMost(Duration.ofSeconds(10)).until(() -> !logLines("Failed authentication").isEmpty());
        String line = logLines("Failed authentication").getFirst();
        assertThat(line).contains("mechanism=OAUTHBEARER", "user=carol (unverified)", "invalid_token");
        assertThat(logLines("Authenticated User:carol")).isEmpty();
    }

    @Test
    void aLongRunningConsumerKeepsWorkingAcrossReauthentications() throws Exception {
        // Given a consumer and a producer on the SASL listener whose sessions last 3 s (connections.max.reauth.ms)
        TopicPartition partition = new TopicPartition("events", 0);
        Map<String, Object> security = scram("SCRAM-SHA-512", "bob", "bob-secret");
        try (KafkaProducer<String, String> producer = producer(security);
             KafkaConsumer<String, String> consumer = consumer(security)) {
            long start = producer.send(new ProducerRecord<>("events", "reauth", "first")).get(30, TimeUnit.SECONDS)
                    .offset();
            consumer.assign(List.of(partition));
            consumer.seek(partition, start);
            // When both keep working for more than three session lifetimes
            List<String> seen = new ArrayList<>();
            int sent = 1;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REAUTH_MS * 3 + 1_500);
            while (System.nanoTime() < until) {
                producer.send(new ProducerRecord<>("events", "reauth", "r" + sent++)).get(30, TimeUnit.SECONDS);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    if ("reauth".equals(r.key())) {
                        seen.add(r.value());
                    }
                }
            }
            int expected = sent;
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if ("reauth".equals(r.key())) {
                        seen.add(r.value());
                    }
                }
                return seen.size() >= expected;
            });
            // Then every record arrived, and connections re-authenticated in place (same connection id) without
            // being closed for an expired session
            assertThat(seen).hasSize(expected);
            Map<String, Long> perConnection = logLines("Authenticated User:bob").stream()
                    .collect(Collectors.groupingBy(line -> line.replaceAll(".* on connection (\\S+) with .*", "$1"),
                            Collectors.counting()));
            assertThat(perConnection.values()).anyMatch(count -> count >= 3);
            assertThat(logLines("expired")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256"})
    void kcatAuthenticatesWithPlainAndScram(String mechanism) throws Exception {
        Kcat.requireInstalled();
        String user = mechanism.equals("PLAIN") ? "alice" : "bob";
        String password = mechanism.equals("PLAIN") ? "alice-secret" : "bob-secret";
        String topic = "kcat-" + mechanism.toLowerCase();
        samsa.createTopic(topic, 1, Map.of());
        List<String> security = List.of("-X", "security.protocol=sasl_plaintext", "-X", "sasl.mechanisms=" + mechanism,
                "-X", "sasl.username=" + user, "-X", "sasl.password=" + password);
        List<String> produce = new ArrayList<>(List.of("-P", "-b", sasl, "-t", topic));
        produce.addAll(security);
        Kcat.Result produced = Kcat.run(dir, "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8), produce);
        assertThat(produced.exitCode()).as("kcat -P stderr: %s", produced.stderr()).isZero();
        List<String> consume = new ArrayList<>(List.of("-C", "-b", sasl, "-t", topic, "-o", "beginning", "-e", "-q"));
        consume.addAll(security);
        Kcat.Result consumed = Kcat.run(dir, new byte[0], consume);
        assertThat(consumed.exitCode()).as("kcat -C stderr: %s", consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines().toList()).containsExactly("one", "two", "three");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"roundtrip", "refused"})
    void librdkafkaAuthenticatesWithOauthbearer(String mode) throws Exception {
        // Given librdkafka (Debian's python3-confluent-kafka) handing over a signed JWT, or an expired one
        assumeTrue(run(List.of(PYTHON, "-c", "import confluent_kafka")).exitCode() == 0,
                "Debian's python3-confluent-kafka is not installed (apt-get install python3-confluent-kafka)");
        String topic = "oauth-" + mode;
        samsa.createTopic(topic, 1, Map.of());
        Path token = dir.resolve("token-" + mode);
        Files.writeString(token, mode.equals("roundtrip") ? jwts.valid("dave") : jwts.expired("dave"));
        Path script = dir.resolve("librdkafka_oauthbearer.py");
        try (InputStream in = getClass().getResourceAsStream("/security/librdkafka_oauthbearer.py")) {
            Files.write(script, in.readAllBytes());
        }

        // When it produces and consumes
        Kcat.Result result = run(List.of(PYTHON, script.toString(), sasl, topic, token.toString(), mode));

        // Then the signed token works end to end, and the expired one is refused with Kafka's error
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        if (mode.equals("roundtrip")) {
            assertThat(result.stdout().lines().toList()).containsExactly("produced 3", "consumed a,b,c");
            assertThat(logLines("Authenticated User:dave")).isNotEmpty();
        } else {
            assertThat(result.stdout()).startsWith("refused: ");
            assertThat(logLines("Authenticated User:dave")).isEmpty();
        }
    }

    private static Kcat.Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            return new Kcat.Result(127, "", e.getMessage());
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish in 120 s:\n" + Files.readString(err));
        }
        return new Kcat.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void kcatWithAWrongPasswordIsRefused() throws Exception {
        Kcat.requireInstalled();
        Kcat.Result result = Kcat.run(dir, new byte[0], List.of("-L", "-b", sasl, "-m", "5",
                "-X", "security.protocol=sasl_plaintext", "-X", "sasl.mechanisms=PLAIN",
                "-X", "sasl.username=alice", "-X", "sasl.password=wrong"));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).containsIgnoringCase("Authentication failed");
        assertThat(Files.exists(dir)).isTrue();
    }
}
