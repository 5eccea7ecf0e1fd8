package io.samsa.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.samsa.storage.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerConfigTest {

    /** Apache Kafka 4.x {@code config/server.properties} (KRaft combined mode), comments trimmed. */
    static final String KAFKA_STOCK_SERVER_PROPERTIES = """
            ############################# Server Basics #############################
            process.roles=broker,controller
            node.id=1
            controller.quorum.bootstrap.servers=localhost:9093
            ############################# Socket Server Settings #############################
            listeners=PLAINTEXT://:9092,CONTROLLER://:9093
            inter.broker.listener.name=PLAINTEXT
            advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
            controller.listener.names=CONTROLLER
            listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
            num.network.threads=3
            num.io.threads=8
            socket.send.buffer.bytes=102400
            socket.receive.buffer.bytes=102400
            socket.request.max.bytes=104857600
            ############################# Log Basics #############################
            log.dirs=/tmp/kraft-combined-logs
            num.partitions=1
            num.recovery.threads.per.data.dir=1
            ############################# Internal Topic Settings  #############################
            offsets.topic.replication.factor=1
            share.coordinator.state.topic.replication.factor=1
            share.coordinator.state.topic.min.isr=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1
            ############################# Log Retention Policy #############################
            log.retention.hours=168
            log.segment.bytes=1073741824
            log.retention.check.interval.ms=300000
            """;

    @TempDir
    Path dir;

    @Test
    void emptyPropertiesGiveASingleLocalNode() {
        // When
        BrokerConfig config = BrokerConfig.fromProperties(Map.of());

        // Then
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.listeners()).containsExactly(new BrokerConfig.Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListeners()).isEqualTo(config.listeners());
        assertThat(config.logDirs()).containsExactly(Path.of("./samsa-data"));
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("./samsa-data/__samsa_metadata"));
        assertThat(config.controllerQuorumVoters()).containsExactly(Map.entry(1, "localhost:0"));
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(config.autoCreateTopicsEnable()).isTrue();
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104_857_600);
        assertThat(config.numNetworkThreads()).isEqualTo(3);
        assertThat(config.numIoThreads()).isEqualTo(8);
        assertThat(config.values().getInt(BrokerConfigDefs.NUM_RECOVERY_THREADS_PER_DATA_DIR)).isEqualTo(2);
        assertThat(config.logFlushSchedulerIntervalMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.logDefaults()).isEqualTo(LogConfig.defaults());
        assertThat(config.retentionMs()).isEqualTo(168 * 3_600_000L);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.segmentDeleteDelayMs()).isEqualTo(60_000);
        assertThat(config.compressionType()).isEqualTo("producer");
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.unknownKeys()).isEmpty();
        assertThat(BrokerConfig.defaults()).isEqualTo(config);
    }

    @Test
    void kafkaStockServerPropertiesLoadWithoutWarnings() throws IOException {
        // Given
        Path file = Files.writeString(dir.resolve("server.properties"), KAFKA_STOCK_SERVER_PROPERTIES);

        // When
        BrokerConfig config;
        List<String> warnings;
        List<String> infos;
        try (LogCapture logs = new LogCapture(BrokerConfig.class)) {
            config = BrokerConfig.load(file, List.of());
            warnings = logs.messages(Level.WARN);
            infos = logs.messages(Level.INFO);
        }

        // Then
        assertThat(warnings).isEmpty();
        assertThat(config.unknownKeys()).isEmpty();
        assertThat(infos).singleElement().asString()
                .startsWith("Configuration keys accepted, not yet used by Samsa: [")
                .contains("socket.send.buffer.bytes")
                .doesNotContain("process.roles") // used since issue 8
                .doesNotContain("transaction.state.log.replication.factor") // used by the transaction coordinator
                .doesNotContain("offsets.topic.replication.factor") // used by the group coordinator
                .doesNotContain("num.recovery.threads.per.data.dir"); // used by the log manager
        assertThat(config.values().getInt(BrokerConfigDefs.NUM_RECOVERY_THREADS_PER_DATA_DIR)).isEqualTo(1);
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.listeners()).containsExactly(new BrokerConfig.Listener("PLAINTEXT", "", 9092));
        assertThat(config.advertisedListeners()).containsExactly(new BrokerConfig.Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.controllerQuorumVoters()).containsExactly(Map.entry(1, "localhost:9093"));
        assertThat(config.logDirs()).containsExactly(Path.of("/tmp/kraft-combined-logs"));
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("/tmp/kraft-combined-logs/__samsa_metadata"));
        assertThat(config.logDefaults()).isEqualTo(LogConfig.defaults());
        assertThat(config.values().getShort("offsets.topic.replication.factor")).isEqualTo((short) 1);
    }

    @Test
    void unknownKeysAreWarnedOncePerKeyAndIgnored() {
        try (LogCapture logs = new LogCapture(BrokerConfig.class)) {
            // When
            BrokerConfig config = BrokerConfig.fromProperties(Map.of("num.partitions", "3", "no.such.key", "x"));

            // Then
            assertThat(logs.messages(Level.WARN)).containsExactly("Unknown configuration key 'no.such.key' ignored");
            assertThat(config.unknownKeys()).containsExactly("no.such.key");
            assertThat(config.numPartitions()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            num.partitions            | abc            | Invalid value abc for configuration num.partitions: Not a number of type INT
            num.partitions            | 0              | Invalid value 0 for configuration num.partitions: Value must be at least 1
            socket.request.max.bytes  | 99999999999    | Invalid value 99999999999 for configuration socket.request.max.bytes: Not a number of type INT
            auto.create.topics.enable | yes            | Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or false
            log.message.timestamp.type| Now            | Invalid value Now for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime
            log.segment.bytes         | 1000           | Invalid value 1000 for configuration log.segment.bytes: Value must be at least 1048576
            log.index.size.max.bytes  | 3              | Invalid value 3 for configuration log.index.size.max.bytes: Value must be at least 4
            log.flush.interval.messages| 0             | Invalid value 0 for configuration log.flush.interval.messages: Value must be at least 1
            log.roll.hours            | 0              | Invalid value 0 for configuration log.roll.hours: Value must be at least 1
            log.cleanup.policy        | 'delete,shred' | Invalid value delete,shred for configuration log.cleanup.policy: String must be one of: compact, delete
            compression.type          | brotli         | Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer
            default.replication.factor| 0              | Invalid value 0 for configuration default.replication.factor: Value must be at least 1
            node.id                   | -1             | Invalid value -1 for configuration node.id: Value must be at least 0
            offsets.topic.replication.factor | 0       | Invalid value 0 for configuration offsets.topic.replication.factor: Value must be at least 1
            listeners                 | PLAINTEXT://localhost:70000 | Invalid value PLAINTEXT://localhost:70000 for configuration listeners: Port must be between 0 and 65535
            listeners                 | localhost:9092 | Invalid value localhost:9092 for configuration listeners: Listener must be of the form NAME://host:port
            controller.quorum.voters  | 'one@localhost:9093' | Invalid value one@localhost:9093 for configuration controller.quorum.voters: Voter id must be a number
            """)
    void invalidValuesNameTheKeyTheValueAndWhyOnOneLine(String key, String value, String message) {
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void overridesWinOverTheFile() throws IOException {
        // Given
        Path file = Files.writeString(dir.resolve("server.properties"), "num.partitions=2\nnode.id=4\n");

        // When
        BrokerConfig config = BrokerConfig.load(file, List.of("num.partitions=6", "log.dirs=/data/a,/data/b",
                "controller.quorum.voters=4@h:9093"));

        // Then
        assertThat(config.numPartitions()).isEqualTo(6);
        assertThat(config.nodeId()).isEqualTo(4);
        assertThat(config.logDirs()).containsExactly(Path.of("/data/a"), Path.of("/data/b"));
        assertThat(config.original()).containsEntry("num.partitions", "6");
    }

    @Test
    void overridesAloneNeedNoFile() {
        BrokerConfig config = BrokerConfig.load(null, List.of("listeners=PLAINTEXT://localhost:0"));
        assertThat(config.listeners()).containsExactly(new BrokerConfig.Listener("PLAINTEXT", "localhost", 0));
    }

    @Test
    void aMissingFileOrAMalformedOverrideIsAConfigException() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> BrokerConfig.load(missing, List.of()))
                .isInstanceOf(ConfigException.class).hasMessage("Config file " + missing + " does not exist");
        assertThatThrownBy(() -> BrokerConfig.load(null, List.of("num.partitions")))
                .isInstanceOf(ConfigException.class).hasMessage("Invalid override 'num.partitions': expected key=value");
    }

    @Test
    void brokerIdIsAnAliasOfNodeId() {
        assertThat(BrokerConfig.fromProperties(Map.of("broker.id", "7")).nodeId()).isEqualTo(7);
        assertThat(BrokerConfig.fromProperties(Map.of("broker.id", "7", "node.id", "7")).nodeId()).isEqualTo(7);
        assertThat(BrokerConfig.fromProperties(Map.of("broker.id", "7")).controllerQuorumVoters())
                .containsExactly(Map.entry(7, "localhost:0"));
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("broker.id", "7", "node.id", "8")))
                .hasMessage("Invalid value 7 for configuration broker.id: Must equal node.id (8) when both are set");
    }

    @Test
    void logDirsWinOverLogDirAndMetadataLogDirCanBeSet() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("log.dir", "/x", "log.dirs", " /a , /b ",
                "metadata.log.dir", "/meta"));
        assertThat(config.logDirs()).containsExactly(Path.of("/a"), Path.of("/b"));
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("/meta"));
        assertThat(BrokerConfig.fromProperties(Map.of("log.dir", "/x")).logDirs()).containsExactly(Path.of("/x"));
    }

    @Test
    void logDefaultsComeFromTheBrokerLogKeys() {
        // When
        BrokerConfig config = BrokerConfig.fromProperties(Map.of(
                "log.segment.bytes", "2097152", "log.roll.hours", "2", "log.index.size.max.bytes", "4096",
                "log.index.interval.bytes", "100", "message.max.bytes", "5000", "log.flush.interval.messages", "10",
                "log.flush.scheduler.interval.ms", "3000", "log.message.timestamp.type", "LogAppendTime",
                "log.cleanup.policy", "compact, delete", "log.message.timestamp.after.max.ms", "5"));

        // Then
        assertThat(config.logDefaults()).isEqualTo(new LogConfig(2_097_152, 7_200_000L, 4096, 100, 5000, 10, 3000,
                TimestampType.LOG_APPEND_TIME, Long.MAX_VALUE, 5, true));
    }

    @Test
    void millisecondKeysWinOverTheirCoarserSynonyms() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("log.roll.hours", "2", "log.roll.ms", "1234",
                "log.flush.scheduler.interval.ms", "3000", "log.flush.interval.ms", "500"));
        assertThat(config.logDefaults().segmentMs()).isEqualTo(1234);
        assertThat(config.logDefaults().flushMs()).isEqualTo(500);
    }

    @Test
    void retentionComesFromMillisecondsThenMinutesThenHours() {
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.hours", "1")).retentionMs()).isEqualTo(3_600_000);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.hours", "1", "log.retention.minutes", "2"))
                .retentionMs()).isEqualTo(120_000);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.minutes", "2", "log.retention.ms", "5"))
                .retentionMs()).isEqualTo(5);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.ms", "-7")).retentionMs()).isEqualTo(-1);
        assertThat(BrokerConfig.fromProperties(Map.of("log.retention.hours", "-1")).retentionMs()).isEqualTo(-1);
    }

    @Test
    void quorumVotersAreParsedInOrderAndMustContainThisController() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("node.id", "2",
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", "1@a:9093,2@b:9093,3@[::1]:9093"));
        assertThat(config.controllerQuorumVoters()).containsExactly(
                Map.entry(1, "a:9093"), Map.entry(2, "b:9093"), Map.entry(3, "[::1]:9093"));

        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("node.id", "5", "controller.quorum.voters", "1@a:9093")))
                .hasMessageContaining("the node id 5 must be included in the set of voters controller.quorum.voters=[1]");
        assertThat(BrokerConfig.fromProperties(Map.of("node.id", "5", "process.roles", "broker",
                "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", "1@a:9093")).controllerQuorumVoters()).containsOnlyKeys(1);
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("controller.quorum.voters", "1@a:9093,1@b:9093")))
                .hasMessageContaining("Voter 1 is listed twice");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(Map.of("controller.quorum.bootstrap.servers", "a:1,b:2")))
                .hasMessageContaining("set controller.quorum.voters");
    }
}
