package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class CommandParsingTest {
    private static CommandLine commandLine() {
        return SamsaCommand.newCommandLine(System.in, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T leaf(ParseResult result) {
        ParseResult p = result;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return (T) p.commandSpec().userObject();
    }

    @Test
    void server_takes_a_config_file_and_repeated_overrides() {
        // Given / When
        ServerCommand server = leaf(commandLine().parseArgs(
                "server", "--config", "server.properties", "--override", "node.id=3", "--override", "log.dirs=/d"));

        // Then
        assertThat(server.config).isEqualTo(Path.of("server.properties"));
        assertThat(server.overrides).containsExactly("node.id=3", "log.dirs=/d");
    }

    @Test
    void topics_create_parses_every_option() {
        TopicsCreateCommand create = leaf(commandLine().parseArgs("topics", "create", "--topic", "t",
                "--partitions", "6", "--replication-factor", "3", "--config", "retention.ms=1000",
                "--config", "cleanup.policy=compact", "--if-not-exists", "--bootstrap-server", "h:1"));

        assertThat(create.topic).isEqualTo("t");
        assertThat(create.partitions).isEqualTo(6);
        assertThat(create.replicationFactor).isEqualTo((short) 3);
        assertThat(create.configs).containsEntry("retention.ms", "1000").containsEntry("cleanup.policy", "compact");
        assertThat(create.ifNotExists).isTrue();
        assertThat(create.client.bootstrap()).isEqualTo("h:1");
    }

    @Test
    void topics_create_leaves_partitions_and_replication_to_the_broker_by_default() {
        TopicsCreateCommand create = leaf(commandLine().parseArgs("topics", "create", "--topic", "t"));

        assertThat(create.partitions).isNull();
        assertThat(create.replicationFactor).isNull();
        assertThat(create.client.bootstrap()).isEqualTo("localhost:9092");
    }

    @Test
    void topics_list_describe_delete_parse() {
        TopicsListCommand list = leaf(commandLine().parseArgs("topics", "list", "--exclude-internal"));
        TopicsDescribeCommand all = leaf(commandLine().parseArgs("topics", "describe"));
        TopicsDescribeCommand one = leaf(commandLine().parseArgs("topics", "describe", "--topic", "t"));
        TopicsDeleteCommand delete = leaf(commandLine().parseArgs("topics", "delete", "--topic", "t", "--if-exists"));

        assertThat(list.excludeInternal).isTrue();
        assertThat(all.topic).isNull();
        assertThat(one.topic).isEqualTo("t");
        assertThat(delete.topic).isEqualTo("t");
        assertThat(delete.ifExists).isTrue();
    }

    @Test
    void produce_maps_its_options_to_producer_configs() {
        ProduceCommand produce = leaf(commandLine().parseArgs("produce", "--topic", "t", "--partition", "2",
                "--key-separator", ":", "--acks", "1", "--compression", "zstd", "--property", "linger.ms=7"));

        assertThat(produce.partition).isEqualTo(2);
        assertThat(produce.keySeparator).isEqualTo(":");
        assertThat(produce.producerProperties())
                .containsEntry(ProducerConfig.ACKS_CONFIG, "1")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "7")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    }

    @Test
    void produce_rejects_unknown_acks_and_compression() {
        assertThatThrownBy(() -> commandLine().parseArgs("produce", "--topic", "t", "--acks", "2"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("expected one of all, -1, 1, 0");
        assertThatThrownBy(() -> commandLine().parseArgs("produce", "--topic", "t", "--compression", "brotli"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void verbose_is_accepted_before_or_after_the_subcommand() {
        ParseResult before = commandLine().parseArgs("-v", "produce", "--topic", "t");
        ParseResult after = commandLine().parseArgs("produce", "--topic", "t", "--verbose");

        assertThat(((SamsaCommand) before.commandSpec().userObject()).verbose).isTrue();
        assertThat(((SamsaCommand) after.commandSpec().userObject()).verbose).isTrue();
    }

    @Test
    void consume_defaults_to_the_end_without_a_group() {
        ConsumeCommand consume = leaf(commandLine().parseArgs("consume", "--topic", "t"));

        assertThat(consume.startPosition()).isEqualTo(new StartPosition.End());
        assertThat(consume.keySeparator).isEqualTo("\\t");
        assertThat(consume.consumerProperties())
                .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    @Test
    void consume_parses_start_positions() {
        ConsumeCommand beginning = leaf(commandLine().parseArgs("consume", "--topic", "t", "--from-beginning"));
        ConsumeCommand offset = leaf(commandLine().parseArgs("consume", "--topic", "t", "--offset", "42"));
        ConsumeCommand time = leaf(commandLine().parseArgs(
                "consume", "--topic", "t", "--from-timestamp", "2024-05-01T00:00:00Z"));

        assertThat(beginning.startPosition()).isEqualTo(new StartPosition.Beginning());
        assertThat(offset.startPosition()).isEqualTo(new StartPosition.AtOffset(42));
        assertThat(time.startPosition()).isEqualTo(new StartPosition.AtTimestamp(1714521600000L));
    }

    @Test
    void consume_start_positions_are_mutually_exclusive() {
        assertThatThrownBy(() -> commandLine().parseArgs(
                        "consume", "--topic", "t", "--from-beginning", "--offset", "3"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("mutually exclusive");
    }

    @Test
    void consume_with_a_group_subscribes_with_that_group_id() {
        ConsumeCommand consume = leaf(commandLine().parseArgs("consume", "--topic", "t", "--group", "g",
                "--from-beginning", "--max-messages", "10", "--timeout-ms", "500", "--print-key", "--print-offset",
                "--print-timestamp", "--print-partition", "--key-separator", ","));

        assertThat(consume.consumerProperties())
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        assertThat(consume.maxMessages).isEqualTo(10);
        assertThat(consume.timeoutMs).isEqualTo(500);
        assertThat(List.of(consume.printKey, consume.printOffset, consume.printTimestamp, consume.printPartition))
                .containsOnly(true);
    }

    @Test
    void command_config_file_is_read_and_bootstrap_flag_wins(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("client.properties");
        java.nio.file.Files.writeString(file, "bootstrap.servers=fromfile:1\nrequest.timeout.ms=1234\n");

        TopicsListCommand fromFile = leaf(commandLine().parseArgs("topics", "list", "--command-config",
                file.toString()));
        TopicsListCommand flagWins = leaf(commandLine().parseArgs("topics", "list", "--command-config",
                file.toString(), "--bootstrap-server", "flag:2"));

        assertThat(fromFile.client.admin())
                .containsEntry("bootstrap.servers", "fromfile:1")
                .containsEntry("request.timeout.ms", "1234");
        assertThat(flagWins.client.admin()).containsEntry("bootstrap.servers", "flag:2");
    }
}
