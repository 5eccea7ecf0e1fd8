package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The samsa command's client side (topics, produce, consume) against a broker, run in-process. */
class CliIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    /** What one execution printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    static Run samsa(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server");
        all.add(samsa.get().bootstrapServers());
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void topicsCreateListDescribeDelete() {
        Run created = samsa("", "topics", "create", "--topic", "cli-topics", "--partitions", "3",
                "--config", "retention.ms=60000");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("cli-topics");

        Run listed = samsa("", "topics", "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out().lines()).contains("cli-topics");

        Run described = samsa("", "topics", "describe", "--topic", "cli-topics");
        assertThat(described.exitCode()).as(described.err()).isZero();
        // (the topic's configs are listed only once the broker serves DescribeConfigs)
        assertThat(described.out()).contains("Topic: cli-topics", "PartitionCount: 3", "ReplicationFactor: 1");
        assertThat(described.out().lines().filter(l -> l.startsWith("\tTopic: cli-topics\tPartition:"))).hasSize(3);

        Run deleted = samsa("", "topics", "delete", "--topic", "cli-topics");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> samsa("", "topics", "list").out().lines().noneMatch("cli-topics"::equals));
    }

    @Test
    void producedLinesAreConsumedWithTheirKeys() {
        // Given a one-partition topic and 500 "key<TAB>value" lines
        assertThat(samsa("", "topics", "create", "--topic", "cli-lines", "--partitions", "1").exitCode()).isZero();
        List<String> lines = IntStream.range(0, 500).mapToObj(i -> "key-" + i + "\tvalue " + i + " ünïcödé").toList();

        // When they are produced with the key separator and consumed from the beginning with keys printed
        Run produced = samsa(String.join("\n", lines) + "\n", "produce", "--topic", "cli-lines", "--key-separator", "\\t");
        assertThat(produced.exitCode()).as(produced.err()).isZero();
        Run consumed = samsa("", "consume", "--topic", "cli-lines", "--from-beginning", "--max-messages", "500",
                "--print-key", "--timeout-ms", "20000");

        // Then the output is the input
        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        assertThat(consumed.out().lines().toList()).containsExactlyElementsOf(lines);
    }

    @Test
    void consumeFromATimestampSkipsEarlierRecords() {
        assertThat(samsa("", "topics", "create", "--topic", "cli-time", "--partitions", "1").exitCode()).isZero();
        assertThat(samsa("old-1\nold-2\n", "produce", "--topic", "cli-time").exitCode()).isZero();
        long afterOld = System.currentTimeMillis();
        await().until(() -> System.currentTimeMillis() > afterOld);
        long from = System.currentTimeMillis();
        assertThat(samsa("new-1\nnew-2\n", "produce", "--topic", "cli-time").exitCode()).isZero();

        Run consumed = samsa("", "consume", "--topic", "cli-time", "--from-timestamp", Long.toString(from),
                "--max-messages", "2", "--timeout-ms", "20000");

        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        assertThat(consumed.out().lines().toList()).containsExactly("new-1", "new-2");
    }

    @Test
    void creatingAnExistingTopicPrintsOneErrorLine() {
        assertThat(samsa("", "topics", "create", "--topic", "cli-twice").exitCode()).isZero();

        Run again = samsa("", "topics", "create", "--topic", "cli-twice");

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.out()).isEmpty();
        assertThat(again.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("samsa: ").contains("cli-twice");
    }
}
