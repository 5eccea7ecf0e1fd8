package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PerfCommandTest {
    @TempDir
    Path dir;

    private static PerfProduceCommand parseProduce(String... args) {
        CommandLine cl = SamsaCommand.newCommandLine(System.in, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()));
        String[] all = new String[args.length + 2];
        all[0] = "perf";
        all[1] = "produce";
        System.arraycopy(args, 0, all, 2, args.length);
        return (PerfProduceCommand) cl.parseArgs(all).subcommand().subcommand().commandSpec().userObject();
    }

    @Test
    void defaults_are_a_million_1_KiB_records_unlimited_on_topic_samsa_perf() {
        PerfProduceCommand c = parseProduce();

        assertThat(c.perf.topic).isEqualTo("samsa-perf");
        assertThat(c.perf.records).isEqualTo(1_000_000);
        assertThat(c.perf.recordSize).isEqualTo(1024);
        assertThat(c.perf.rate).isEqualTo(-1);
        assertThat(c.perf.json).isFalse();
        assertThat(c.perf.progress).isEqualTo(ProgressReporter.Mode.auto);
    }

    @Test
    void producer_flags_become_producer_configs_and_property_wins() {
        PerfProduceCommand c = parseProduce("--acks", "1", "--compression", "lz4", "--linger-ms", "20",
                "--batch-size", "65536", "--property", "linger.ms=30", "--bootstrap-server", "h:1");

        var p = c.producerOptions.producer(c.client, c.perf);

        assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "1")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "30")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "h:1");
    }

    @Test
    void out_of_range_values_are_one_line_usage_errors() {
        for (String[] args : new String[][] {
            {"perf", "produce", "--records", "0"},
            {"perf", "produce", "--rate", "0"},
            {"perf", "produce", "--partitions", "-2"},
            {"perf", "e2e", "--record-size", "8"},
            {"perf", "consume", "--timeout-ms", "0"},
            {"perf", "produce", "--records", "10", "--warmup-records", "10"},
        }) {
            CliRun run = CliRun.run(args);

            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err().lines().toList().get(0)).startsWith("samsa: --");
            assertThat(run.err()).contains("Try 'samsa perf ").doesNotContain("\tat ");
        }
    }

    @Test
    void every_mode_has_help_with_examples() {
        for (String mode : new String[] {"produce", "consume", "e2e"}) {
            CliRun run = CliRun.run("perf", mode, "--help");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Examples:", "samsa perf " + mode + " --", "--records=N", "--json");
        }
    }

    @Test
    void a_bad_option_value_and_a_missing_subcommand_are_usage_errors() {
        CliRun acks = CliRun.run("perf", "produce", "--acks", "2");
        CliRun none = CliRun.run("perf");

        assertThat(acks.exitCode()).isEqualTo(2);
        assertThat(acks.err()).startsWith("samsa: Invalid value for option '--acks'");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("samsa: missing subcommand: produce, consume or e2e");
    }

    @Test
    @Timeout(30)
    void an_unreachable_broker_is_one_line() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "localhost:" + socket.getLocalPort();
        }
        Path fast = dir.resolve("fast.properties");
        Files.writeString(fast, "default.api.timeout.ms=2000\nrequest.timeout.ms=1000\nmax.block.ms=2000\n");

        for (String mode : new String[] {"produce", "consume", "e2e"}) {
            CliRun run = CliRun.run("perf", mode, "--records", "10", "--bootstrap-server", closed,
                    "--command-config", fast.toString());

            assertThat(run.exitCode()).as(mode).isEqualTo(1);
            assertThat(run.err()).as(mode).isEqualTo("samsa: cannot reach the broker at " + closed
                    + System.lineSeparator());
            assertThat(run.out()).as(mode).isEmpty();
        }
    }

    @Test
    void an_e2e_stamp_is_read_back_only_for_its_own_run() {
        PerfPayload payload = new PerfPayload(64, 1);
        byte[] v = payload.stamped(42L, 123_456_789_000L).clone();

        assertThat(PerfPayload.stampOf(v, 42L)).isEqualTo(123_456_789_000L);
        assertThat(PerfPayload.stampOf(v, 43L)).isEqualTo(Long.MIN_VALUE);
        assertThat(PerfPayload.stampOf(new byte[8], 42L)).isEqualTo(Long.MIN_VALUE);
        assertThat(new String(new PerfPayload(32, 1).value(), java.nio.charset.StandardCharsets.US_ASCII))
                .matches("[A-Z]{32}");
    }
}
