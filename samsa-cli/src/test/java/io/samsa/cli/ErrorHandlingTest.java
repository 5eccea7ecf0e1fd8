package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ErrorHandlingTest {
    @TempDir
    static Path dir;

    private static String closedPort;
    private static Path fastTimeouts;

    @BeforeAll
    static void closedPortAndShortTimeouts() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = "localhost:" + socket.getLocalPort();
        }
        fastTimeouts = dir.resolve("fast.properties");
        Files.writeString(fastTimeouts,
                "default.api.timeout.ms=2000\nrequest.timeout.ms=1000\nmax.block.ms=2000\n");
    }

    @Test
    void a_bad_option_prints_one_line_and_a_hint_with_exit_code_2() {
        CliRun run = CliRun.run("topics", "list", "--no-such-option");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).first().asString().startsWith("samsa: Unknown option: '--no-such-option'");
        assertThat(run.err()).contains("Try 'samsa topics list --help' for more information.");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void a_missing_required_option_is_a_usage_error() {
        CliRun run = CliRun.run("produce");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("samsa: Missing required option: '--topic=TOPIC'");
    }

    @Test
    @Timeout(20)
    void an_unreachable_broker_is_reported_in_one_line_within_bounded_time() {
        // When
        CliRun run = CliRun.run("topics", "list", "--bootstrap-server", closedPort,
                "--command-config", fastTimeouts.toString());

        // Then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samsa: cannot reach the broker at " + closedPort + System.lineSeparator());
    }

    @Test
    @Timeout(20)
    void produce_to_an_unreachable_broker_fails_within_bounded_time() {
        CliRun run = CliRun.runWithInput("a\nb\n", "produce", "--topic", "t", "--bootstrap-server", closedPort,
                "--command-config", fastTimeouts.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samsa: cannot reach the broker at " + closedPort + System.lineSeparator());
    }

    @Test
    @Timeout(20)
    void consume_from_an_unreachable_broker_fails_within_bounded_time() {
        CliRun run = CliRun.run("consume", "--topic", "t", "--bootstrap-server", closedPort,
                "--command-config", fastTimeouts.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samsa: cannot reach the broker at " + closedPort + System.lineSeparator());
    }

    @Test
    @Timeout(20)
    void verbose_adds_the_stack_trace() {
        CliRun run = CliRun.run("-v", "topics", "list", "--bootstrap-server", closedPort,
                "--command-config", fastTimeouts.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("samsa: cannot reach the broker at " + closedPort);
        assertThat(run.err()).contains("\tat ");
    }

    @Test
    void a_missing_command_config_file_is_a_usage_error() {
        CliRun run = CliRun.run("topics", "list", "--command-config", "/does/not/exist.properties");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("samsa: cannot read /does/not/exist.properties: no such file"
                + System.lineSeparator());
    }

    @Test
    void client_exceptions_are_unwrapped_to_their_cause() {
        Exception wrapped = new ExecutionException(new TopicExistsException("Topic 'x' already exists."));
        Exception construction = new KafkaException("Failed to construct kafka producer",
                new IllegalStateException("the cause"));

        assertThat(Errors.message(wrapped)).isEqualTo("Topic 'x' already exists.");
        assertThat(Errors.message(construction)).isEqualTo("the cause");
        assertThat(Errors.message(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(Errors.message(new IllegalStateException("two\n  lines"))).isEqualTo("two lines");
    }

    @Test
    void version_prints_samsa_and_kafka_clients_versions() {
        CliRun run = CliRun.run("version");
        CliRun flag = CliRun.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("samsa ").contains("kafka-clients 4.3.1");
        assertThat(flag.out()).isEqualTo(run.out());
    }

    @Test
    void server_with_a_missing_config_file_exits_2() {
        CliRun run = CliRun.run("server", "--config", "/does/not/exist.properties");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("samsa: Config file /does/not/exist.properties does not exist"
                + System.lineSeparator());
    }

    @Test
    void server_with_an_invalid_value_exits_2_with_kafkas_wording() {
        CliRun run = CliRun.run("server", "--override", "num.partitions=zero");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("samsa: Invalid value zero for configuration num.partitions: ")
                .hasLineCount(1);
    }

    @Test
    void only_the_server_switches_logging_to_server_mode() {
        assertThat(SamsaCommand.isServer(new String[] {"server", "--config", "x"})).isTrue();
        assertThat(SamsaCommand.isServer(new String[] {"-v", "server"})).isTrue();
        assertThat(SamsaCommand.isServer(new String[] {"topics", "list"})).isFalse();
        assertThat(SamsaCommand.isServer(new String[] {})).isFalse();
    }
}
