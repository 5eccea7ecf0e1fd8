package io.samsa.it;

import io.samsa.broker.SamsaBroker;
import io.samsa.broker.config.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;

/**
 * Test kit: a real Samsa broker started in this JVM on 127.0.0.1 with an ephemeral port and its data in a
 * directory, plus factories for real kafka-clients pointed at it. Restartable on the same data directory (the port
 * changes: create clients after a restart). Not thread-safe: one owner.
 */
public final class EmbeddedSamsa implements AutoCloseable {
    static {
        // Ratis stops the JVM (System.exit) when a quorum listener cannot bind; in-process brokers share the test JVM,
        // so such a failure must fail the test that started the broker instead of every test of the run
        org.apache.ratis.util.ExitUtils.disableSystemExit();
    }

    private final Path dataDir;
    private final Map<String, String> overrides;
    private SamsaBroker broker;

    private EmbeddedSamsa(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts a broker on 127.0.0.1 with an ephemeral port, data under {@code dataDir}/logs and Kafka-key overrides. */
    public static EmbeddedSamsa start(Path dataDir, Map<String, String> overrides) throws Exception {
        EmbeddedSamsa s = new EmbeddedSamsa(dataDir, overrides);
        s.startBroker();
        return s;
    }

    public static EmbeddedSamsa start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    private void startBroker() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", logDir().toString());
        // never the default 9644: tests run brokers side by side; tests that scrape read broker().http().addresses()
        props.put("http.listeners", "http://127.0.0.1:0");
        props.putAll(overrides);
        broker = SamsaBroker.start(BrokerConfig.fromProperties(props));
    }

    /** Stops the broker cleanly and starts it again on the same data (the port changes). */
    public void restart() throws Exception {
        broker.close();
        startBroker();
    }

    public SamsaBroker broker() {
        return broker;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The log directory ({@code log.dirs}): partition directories {@code <topic>-<partition>} live here. */
    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates a topic with replication factor 1 and waits for it; returns its topic id. */
    public Uuid createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = admin()) {
            return admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .topicId(name).get();
        }
    }

    public Admin admin() {
        return Clients.admin(bootstrapServers());
    }

    public KafkaProducer<String, String> producer(Map<String, Object> extra) {
        return Clients.producer(bootstrapServers(), extra);
    }

    public KafkaProducer<byte[], byte[]> byteProducer(Map<String, Object> extra) {
        return Clients.byteProducer(bootstrapServers(), extra);
    }

    /** A consumer without a group (assign/seek), auto commit off, reset to earliest. */
    public KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
        return Clients.consumer(bootstrapServers(), extra);
    }

    public KafkaConsumer<byte[], byte[]> byteConsumer(Map<String, Object> extra) {
        return Clients.byteConsumer(bootstrapServers(), extra);
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A fresh temporary directory (JUnit's @TempDir is preferred inside tests). */
    public static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }
}
