package io.samsa.it.configs;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.cli.SamsaCommand;
import io.samsa.it.SamsaExtension;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code samsa configs describe|alter} and {@code samsa topics alter|describe} against a broker. */
class SamsaConfigsCliIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    record Run(int exitCode, String out, String err) {
    }

    private static Run samsaCli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void configsAlterDescribeAndDelete() throws Exception {
        samsa.get().createTopic("cli-configs", 1, Map.of());

        Run altered = samsaCli("configs", "alter", "--entity-type", "topics", "--entity-name", "cli-configs",
                "--add-config", "retention.ms=90000,cleanup.policy=[compact,delete]");
        Run described = samsaCli("configs", "describe", "--entity-type", "topics", "--entity-name", "cli-configs");
        Run topic = samsaCli("topics", "describe", "--topic", "cli-configs");
        Run deleted = samsaCli("configs", "alter", "--entity-type", "topics", "--entity-name", "cli-configs",
                "--delete-config", "retention.ms");
        Run all = samsaCli("configs", "describe", "--all", "--entity-type", "topics", "--entity-name",
                "cli-configs");

        assertThat(altered.exitCode()).as(altered.err()).isZero();
        assertThat(described.out()).contains("retention.ms=90000 (DYNAMIC_TOPIC_CONFIG)")
                .contains("cleanup.policy=compact,delete (DYNAMIC_TOPIC_CONFIG)");
        assertThat(topic.out()).contains("retention.ms=90000");
        assertThat(deleted.exitCode()).isZero();
        assertThat(all.out()).contains("retention.ms=604800000 (DEFAULT_CONFIG)")
                .contains("segment.bytes=1073741824 (DEFAULT_CONFIG)");
    }

    @Test
    void badInputGivesOneLineAndANonZeroExit() throws Exception {
        samsa.get().createTopic("cli-bad", 2, Map.of());

        Run invalid = samsaCli("configs", "alter", "--entity-type", "topics", "--entity-name", "cli-bad",
                "--add-config", "retention.ms=soon");
        Run unknown = samsaCli("configs", "alter", "--entity-type", "topics", "--entity-name", "cli-bad",
                "--add-config", "no.such.key=1");
        Run missing = samsaCli("configs", "describe", "--entity-type", "topics", "--entity-name", "nope");
        Run shrink = samsaCli("topics", "alter", "--topic", "cli-bad", "--partitions", "1");
        Run grow = samsaCli("topics", "alter", "--topic", "cli-bad", "--partitions", "3");

        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err().strip().lines()).hasSize(1).first().asString().contains("retention.ms");
        assertThat(unknown.err()).contains("Unknown topic config name: no.such.key");
        assertThat(missing.err()).contains("Topic 'nope' does not exist.");
        assertThat(shrink.exitCode()).isEqualTo(1);
        assertThat(shrink.err()).contains("The topic cli-bad currently has 2 partition(s); 1 would not be an increase.");
        assertThat(grow.exitCode()).as(grow.err()).isZero();
        assertThat(samsaCli("topics", "describe", "--topic", "cli-bad").out()).contains("PartitionCount: 3");
    }
}
