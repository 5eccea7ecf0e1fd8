package io.samsa.it.txn;

import io.samsa.it.EmbeddedSamsa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The one broker a transaction test talks to: an {@link EmbeddedSamsa} on a fixed loopback port (so that clients
 * created before a restart reconnect after it), or, with {@code -Dsamsa.it.reference=HOST:PORT}, an external
 * Kafka-compatible broker such as Apache Kafka 4.3.1 started by {@code reference-broker.sh}; that checks the tests
 * themselves against Kafka, and {@link #restart()} then does nothing. Not thread-safe: one owner.
 */
final class TxnBroker implements AutoCloseable {
    /** System property naming an external broker to run against instead of Samsa. */
    static final String REFERENCE = "samsa.it.reference";

    private final String reference;
    private final EmbeddedSamsa samsa;

    private TxnBroker(String reference, EmbeddedSamsa samsa) {
        this.reference = reference;
        this.samsa = samsa;
    }

    /** The external broker of {@code -Dsamsa.it.reference}, if any. */
    static Optional<String> reference() {
        return Optional.ofNullable(System.getProperty(REFERENCE)).filter(s -> !s.isBlank());
    }

    /** Starts Samsa in {@code dir} with Kafka-key {@code overrides} on a free fixed port, or uses the reference. */
    static TxnBroker start(Path dir, Map<String, String> overrides) throws Exception {
        Optional<String> external = reference();
        if (external.isPresent()) {
            return new TxnBroker(external.get(), null);
        }
        Map<String, String> props = new HashMap<>(overrides);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + freePort());
        return new TxnBroker(null, EmbeddedSamsa.start(dir, props));
    }

    String bootstrapServers() {
        return samsa == null ? reference : samsa.bootstrapServers();
    }

    /** Stops Samsa cleanly and starts it again on the same data and port; nothing against a reference broker. */
    void restart() throws Exception {
        if (samsa != null) {
            samsa.restart();
        }
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(p);
    }

    /** Creates a topic with replication factor 1 and waits for it. */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    @Override
    public void close() {
        if (samsa != null) {
            samsa.close();
        }
    }

    static int freePort() throws IOException {
        return io.samsa.it.Ports.freePort();
    }
}
