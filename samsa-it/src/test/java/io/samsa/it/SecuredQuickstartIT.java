package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A secured broker", as a user follows it: certificates from {@code config/secured/make-certs.sh},
 * {@code samsa server --config config/secured/server.properties} (a separate process, run from the directory holding
 * {@code certs/}; only the port differs), then the administrator creates a SCRAM user, a topic and ACLs with the
 * {@code samsa} command over SASL_SSL, and the user produces with kcat and consumes with kafka-clients.
 */
class SecuredQuickstartIT {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path SECURED = REPO.resolve("config/secured");

    @TempDir
    Path work;
    private Process broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null && broker.isAlive()) {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run samsa(String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", bootstrap, "--command-config",
                work.resolve("admin.properties").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The quickstart's client file with {@code certs/ca.pem} made absolute (this JVM runs elsewhere). */
    private Properties clientProperties(String file) throws Exception {
        String text = Files.readString(SECURED.resolve(file))
                .replace("certs/ca.pem", work.resolve("certs/ca.pem").toString());
        Files.writeString(work.resolve(file), text);
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(work.resolve(file))) {
            props.load(reader);
        }
        return props;
    }

    private Kcat.Result kcatAsAlice(String bootstrap, byte[] stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-b", bootstrap, "-X", "security.protocol=sasl_ssl",
                "-X", "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=alice", "-X", "sasl.password=alice-secret",
                "-X", "ssl.ca.location=" + work.resolve("certs/ca.pem")));
        all.addAll(List.of(args));
        return Kcat.run(work, stdin, all);
    }

    private static KafkaConsumer<String, String> consumer(Properties client, String bootstrap, String group) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void theReadmeQuickstartSecuresTheBroker() throws Exception {
        Kcat.requireInstalled();
        // Given the certificates and the secured broker, started as the README says (one port changed)
        Process certs = new ProcessBuilder("bash", SECURED.resolve("make-certs.sh").toString(), "certs")
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("make-certs.log").toFile()).start();
        assertThat(certs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(certs.exitValue()).as(Files.readString(work.resolve("make-certs.log"))).isZero();
        int port = Ports.freePort();
        String bootstrap = "localhost:" + port;
        Path log = work.resolve("broker.log");
        broker = ChildJvm.builder(log, List.of(), "io.samsa.cli.SamsaCommand", List.of("server",
                        "--config", SECURED.resolve("server.properties").toString(),
                        "--override", "listeners=SASL_SSL://localhost:" + port,
                        "--override", "advertised.listeners=SASL_SSL://localhost:" + port))
                .directory(work.toFile()).start();
        Ports.awaitAccepting(port, Duration.ofSeconds(60), broker::isAlive, () -> ChildJvm.read(log));
        Properties alice = clientProperties("alice.properties");
        clientProperties("admin.properties");

        // When the administrator makes user alice and topic orders, before any ACL
        assertThat(samsa(bootstrap, "users", "add", "--user", "alice", "--password", "alice-secret"))
                .extracting(Run::exitCode).isEqualTo(0);
        assertThat(samsa(bootstrap, "topics", "create", "--topic", "orders", "--partitions", "1"))
                .extracting(Run::exitCode).isEqualTo(0);

        // Then alice is authenticated but may do nothing: deny by default, not one byte appended
        Properties producerProps = new Properties();
        producerProps.putAll(alice);
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("orders", "refused")).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(kcatAsAlice(bootstrap, "refused too\n".getBytes(StandardCharsets.UTF_8), "-t", "orders", "-P")
                .stderr()).contains("Topic authorization failed");

        // When the administrator grants alice the topic and her group, as the README shows
        assertThat(samsa(bootstrap, "acls", "add", "--allow-principal", "User:alice", "--operation", "Write",
                "--operation", "Read", "--operation", "Describe", "--topic", "orders").exitCode()).isZero();
        assertThat(samsa(bootstrap, "acls", "add", "--allow-principal", "User:alice", "--operation", "Read",
                "--group", "orders-app").exitCode()).isZero();

        // Then kcat (librdkafka, SCRAM over TLS) appends, and a kafka-clients consumer in orders-app reads exactly it
        Kcat.Result produced = kcatAsAlice(bootstrap, "hello\n".getBytes(StandardCharsets.UTF_8), "-t", "orders",
                "-P");
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();
        try (var consumer = consumer(alice, bootstrap, "orders-app")) {
            consumer.subscribe(List.of("orders"));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("hello");
            assertThat(records.getFirst().offset()).isZero();
        }
        // and another group, or a wrong password, is refused
        try (var consumer = consumer(alice, bootstrap, "other-app")) {
            consumer.subscribe(List.of("orders"));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
        Properties wrong = new Properties();
        wrong.putAll(alice);
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"alice\" password=\"not-her-password\";");
        try (var consumer = consumer(wrong, bootstrap, "orders-app")) {
            consumer.subscribe(List.of("orders"));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(ChildJvm.read(log)).contains("Failed authentication with")
                .contains("Principal = User:alice is Denied operation = DESCRIBE from host = 127.0.0.1 on resource = Topic:LITERAL:orders")
                .doesNotContain("SSL handshake failed");
    }
}
