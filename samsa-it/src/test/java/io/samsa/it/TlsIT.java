package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.samsa.broker.config.ConfigException;
import io.samsa.broker.security.TestPki;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * TLS listeners with real clients: one broker with an SSL listener per key store format (PKCS12, JKS, PEM, each
 * through {@code listener.name.<listener>.ssl.*}), an mTLS listener ({@code ssl.client.auth=required}) and a
 * PLAINTEXT inter-broker listener. kafka-clients and kcat produce and consume over TLS; untrusted certificates are
 * refused on both sides and the broker says why; a fetch of several MB over TLS (no sendfile) reads back identical.
 */
class TlsIT {
    private static final String PASSWORD = "changeit-42";
    static Path dir;
    static EmbeddedSamsa samsa;
    static TestPki.Identity ca;
    static TestPki.Identity otherCa;
    static Path caTrust;
    static Path caPem;
    static Path otherTrust;
    static TestPki.Identity alice;
    static TestPki.Identity mallory;
    static Path clientKeyStore;
    static Path rogueKeyStore;
    static final ListAppender<ILoggingEvent> handshakeLog = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        dir = EmbeddedSamsa.tempDir("tls-it");
        ca = TestPki.ca("CN=Samsa Test CA");
        otherCa = TestPki.ca("CN=Someone Else's CA");
        TestPki.Identity server = TestPki.issue(ca, "CN=localhost,O=Samsa");
        caTrust = TestPki.trustStore(dir.resolve("ca.p12"), "PKCS12", PASSWORD, ca);
        caPem = TestPki.write(dir.resolve("ca.pem"), TestPki.pemCertificates(ca.certificate()));
        otherTrust = TestPki.trustStore(dir.resolve("other.p12"), "PKCS12", PASSWORD, otherCa);
        alice = TestPki.issue(ca, "CN=alice,O=Samsa");
        mallory = TestPki.issue(otherCa, "CN=mallory,O=Elsewhere");
        clientKeyStore = TestPki.keyStore(dir.resolve("alice.p12"), "PKCS12", PASSWORD, PASSWORD, alice);
        rogueKeyStore = TestPki.keyStore(dir.resolve("mallory.p12"), "PKCS12", PASSWORD, PASSWORD, mallory);
        Path p12 = TestPki.keyStore(dir.resolve("server.p12"), "PKCS12", PASSWORD, PASSWORD, server);
        Path jks = TestPki.keyStore(dir.resolve("server.jks"), "JKS", PASSWORD, "key-" + PASSWORD, server);
        Path pem = TestPki.write(dir.resolve("server.pem"), TestPki.pemKeyAndChain(server));

        Map<String, String> props = new HashMap<>();
        props.put("listeners", "P12://127.0.0.1:0,JKS://127.0.0.1:0,PEM://127.0.0.1:0,MTLS://127.0.0.1:0,"
                + "INTERNAL://127.0.0.1:0");
        props.put("listener.security.protocol.map", "P12:SSL,JKS:SSL,PEM:SSL,MTLS:SSL,INTERNAL:PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("listener.name.p12.ssl.keystore.type", "PKCS12");
        props.put("listener.name.p12.ssl.keystore.location", p12.toString());
        props.put("listener.name.p12.ssl.keystore.password", PASSWORD);
        props.put("listener.name.jks.ssl.keystore.type", "JKS");
        props.put("listener.name.jks.ssl.keystore.location", jks.toString());
        props.put("listener.name.jks.ssl.keystore.password", PASSWORD);
        props.put("listener.name.jks.ssl.key.password", "key-" + PASSWORD);
        props.put("listener.name.pem.ssl.keystore.type", "PEM");
        props.put("listener.name.pem.ssl.keystore.location", pem.toString());
        props.put("listener.name.mtls.ssl.keystore.type", "PKCS12");
        props.put("listener.name.mtls.ssl.keystore.location", p12.toString());
        props.put("listener.name.mtls.ssl.keystore.password", PASSWORD);
        props.put("listener.name.mtls.ssl.truststore.type", "PEM");
        props.put("listener.name.mtls.ssl.truststore.location", caPem.toString());
        props.put("listener.name.mtls.ssl.client.auth", "required");
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]*),.*$/$1/,DEFAULT");
        samsa = EmbeddedSamsa.start(dir, props);
        handshakeLog.start();
        ((Logger) LoggerFactory.getLogger("io.samsa.protocol.TlsHandshakeHandler")).addAppender(handshakeLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("io.samsa.protocol.TlsHandshakeHandler")).detachAppender(handshakeLog);
        if (samsa != null) {
            samsa.close();
        }
    }

    /** kafka-clients SSL settings trusting {@code trustStore}, with {@code keyStore} as client certificate (or none). */
    static Map<String, Object> ssl(String listener, Path trustStore, Path keyStore) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, samsa.broker().bootstrapServers(listener));
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, PASSWORD);
        if (keyStore != null) {
            p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
            p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore.toString());
            p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, PASSWORD);
        }
        return p;
    }

    static Admin admin(Map<String, Object> ssl) {
        Map<String, Object> p = new HashMap<>(ssl);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    static void createTopic(Map<String, Object> ssl, String topic) throws Exception {
        try (Admin admin = admin(ssl)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static List<byte[]> produceAndReadBack(Map<String, Object> ssl, String topic, List<byte[]> values) throws Exception {
        Map<String, Object> producerProps = new HashMap<>(ssl);
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = Clients.byteProducer((String) ssl.get(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), producerProps)) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get(30, TimeUnit.SECONDS);
            }
        }
        return readBack(ssl, topic, values.size());
    }

    static List<byte[]> readBack(Map<String, Object> ssl, String topic, int count) {
        Map<String, Object> consumerProps = new HashMap<>(ssl);
        consumerProps.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        List<byte[]> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.byteConsumer((String) ssl.get(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), consumerProps)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
                return read.size() >= count;
            });
        }
        return read;
    }

    @ParameterizedTest
    @ValueSource(strings = {"P12", "JKS", "PEM"})
    void producesAndConsumesOverEachKeyStoreFormat(String listener) throws Exception {
        // Given an SSL listener whose key store is PKCS12, JKS or PEM
        Map<String, Object> ssl = ssl(listener, caTrust, null);
        String topic = "tls-" + listener.toLowerCase();
        createTopic(ssl, topic);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            values.add(("record " + i + " over " + listener).getBytes(StandardCharsets.UTF_8));
        }
        // When a producer writes over TLS and a consumer reads back over TLS
        List<byte[]> read = produceAndReadBack(ssl, topic, values);
        // Then every record comes back as written
        assertThat(read).containsExactlyElementsOf(values);
    }

    @Test
    void largeFetchOverTlsIsByteIdenticalAndMatchesThePlaintextListener() throws Exception {
        // Given about 12 MB of random records
        Map<String, Object> ssl = ssl("P12", caTrust, null);
        String topic = "tls-large";
        createTopic(ssl, topic);
        Random random = new Random(42);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] v = new byte[1000 * 1000 + i];
            random.nextBytes(v);
            values.add(v);
        }
        // When they are read back over TLS in fetches of several MB (chunked reads, no sendfile)
        List<byte[]> read = produceAndReadBack(ssl, topic, values);
        // Then they are byte-identical, and the PLAINTEXT listener (sendfile) reads the same bytes
        assertThat(read).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(read.get(i)).as("record %d", i).isEqualTo(values.get(i));
        }
        Map<String, Object> plaintext = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                samsa.broker().bootstrapServers("INTERNAL"));
        List<byte[]> plain = readBack(plaintext, topic, values.size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(plain.get(i)).as("record %d over PLAINTEXT", i).isEqualTo(values.get(i));
        }
    }

    @Test
    void mutualTlsAcceptsOnlyTrustedClientCertificates() throws Exception {
        // Given a listener with ssl.client.auth=required
        // When a client with a certificate from the trusted CA connects, it is served
        Map<String, Object> alice = ssl("MTLS", caTrust, clientKeyStore);
        createTopic(alice, "tls-mtls");
        assertThat(produceAndReadBack(alice, "tls-mtls", List.of("hello".getBytes(StandardCharsets.UTF_8))))
                .hasSize(1);

        // When a client without a certificate connects, it is refused
        handshakeLog.list.clear();
        try (Admin anonymous = admin(ssl("MTLS", caTrust, null))) {
            assertThatThrownBy(() -> anonymous.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
        // When a client whose certificate another CA signed connects, it is refused and the broker says why
        try (Admin mallory = admin(ssl("MTLS", caTrust, rogueKeyStore))) {
            assertThatThrownBy(() -> mallory.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handshakeLog.list)
                .map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).startsWith("Failed authentication with /127.0.0.1")
                        .contains("listener=MTLS").contains("SSL handshake failed")));
    }

    @Test
    void badTlsKeysStopStartUpWithOneLineNamingTheKey() {
        // Given an SSL listener whose key store password is wrong, or whose trust store does not exist
        Map<String, String> wrongPassword = Map.of("listeners", "SSL://127.0.0.1:0", "ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", dir.resolve("server.p12").toString(),
                "ssl.keystore.password", "Wr0ngSecret");
        Map<String, String> noTrustStore = new HashMap<>(wrongPassword);
        noTrustStore.put("ssl.keystore.password", PASSWORD);
        noTrustStore.put("ssl.truststore.location", dir.resolve("no-such-truststore.p12").toString());
        // When the broker starts, Then it stops with one line naming the key (and never the password)
        assertThatThrownBy(() -> EmbeddedSamsa.start(dir.resolve("bad-password"), wrongPassword))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value [hidden] for configuration ssl.keystore.password: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "Wr0ngSecret"));
        assertThatThrownBy(() -> EmbeddedSamsa.start(dir.resolve("no-truststore"), noTrustStore))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for configuration ssl.truststore.location: no such file");
    }

    @Test
    void plaintextBytesOrNoHandshakeAtAllOnAnSslListenerCloseTheConnection() throws Exception {
        String[] hostPort = samsa.broker().bootstrapServers("P12").split(":");
        // Given a client speaking the Kafka protocol in clear text to an SSL listener
        handshakeLog.list.clear();
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(30_000);
            byte[] apiVersions = {0, 0, 0, 14, 0, 18, 0, 3, 0, 0, 0, 1, 0, 4, 'k', 'c', 'a', 't'};
            socket.getOutputStream().write(apiVersions);
            // Then the broker closes the connection (a TLS alert at most, no Kafka response) and says why
            assertThat(drain(socket)).isLessThan(64);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handshakeLog.list)
                .map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("listener=P12").contains("SSL handshake failed")));
        // Given a client that connects and never starts the handshake
        try (Socket idle = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            idle.setSoTimeout(30_000);
            // Then the broker closes it after the handshake timeout (10 s)
            assertThat(drain(idle)).isLessThan(64);
        }
    }

    /** Reads until the peer closes; returns the number of bytes read. */
    private static int drain(Socket socket) throws Exception {
        int total = 0;
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        return total;
    }

    @Test
    void aClientRefusesAnUntrustedServerCertificate() {
        // Given a client that trusts only another CA
        try (Admin admin = admin(ssl("P12", otherTrust, null))) {
            // When it connects, Then the handshake fails on its side
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void kcatProducesAndConsumesOverSsl() throws Exception {
        Kcat.requireInstalled();
        String bootstrap = samsa.broker().bootstrapServers("PEM");
        List<String> ssl = List.of("-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + caPem);
        String text = "one\ntwo\nthree over TLS\n";
        List<String> produce = new ArrayList<>(List.of("-b", bootstrap, "-P", "-t", "tls-kcat"));
        produce.addAll(ssl);
        Kcat.Result produced = Kcat.run(dir, text.getBytes(StandardCharsets.UTF_8), produce);
        assertThat(produced.exitCode()).as("kcat -P stderr: %s", produced.stderr()).isZero();
        List<String> consume = new ArrayList<>(List.of("-b", bootstrap, "-C", "-t", "tls-kcat", "-o", "beginning",
                "-e", "-q"));
        consume.addAll(ssl);
        Kcat.Result consumed = Kcat.run(dir, new byte[0], consume);
        assertThat(consumed.exitCode()).as("kcat -C stderr: %s", consumed.stderr()).isZero();
        assertThat(consumed.stdout()).isEqualTo(text);
        assertThat(Files.exists(caPem)).isTrue();
    }

    @Test
    void kcatWithATrustedClientCertificateIsServedAndWithAnUntrustedOneRefused() throws Exception {
        Kcat.requireInstalled();
        String bootstrap = samsa.broker().bootstrapServers("MTLS");
        // Given kcat with alice's certificate (signed by the trusted CA), on the listener that requires one
        Kcat.Result served = kcatWithCertificate(bootstrap, alice, "alice");
        assertThat(served.exitCode()).as("kcat -L stderr: %s", served.stderr()).isZero();
        assertThat(served.stdout()).contains("1 brokers");
        // When kcat presents mallory's certificate, which another CA signed (librdkafka sends it regardless)
        handshakeLog.list.clear();
        Kcat.Result refused = kcatWithCertificate(bootstrap, mallory, "mallory");
        // Then it is refused, and the broker logs who and why
        assertThat(refused.exitCode()).isNotZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handshakeLog.list)
                .map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).startsWith("Failed authentication with /127.0.0.1")
                        .contains("listener=MTLS").contains("SSL handshake failed")
                        .doesNotContain("PEER_DID_NOT_RETURN_A_CERTIFICATE")));
    }

    private static Kcat.Result kcatWithCertificate(String bootstrap, TestPki.Identity id, String name)
            throws Exception {
        Path key = TestPki.write(dir.resolve(name + ".key.pem"), TestPki.pemKey(id));
        Path cert = TestPki.write(dir.resolve(name + ".cert.pem"), TestPki.pemCertificates(id.chain()));
        return Kcat.run(dir, new byte[0], List.of("-b", bootstrap, "-L", "-m", "10",
                "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + caPem,
                "-X", "ssl.certificate.location=" + cert, "-X", "ssl.key.location=" + key));
    }
}
