package io.samsa.it.txn;

import static io.samsa.it.txn.Txn.Isolation.READ_COMMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-Java transactional client: librdkafka's producer through Debian's {@code python3-confluent-kafka} (run by
 * Debian's {@code /usr/bin/python3}; {@code ./samsa test} installs the package, the test is skipped without it)
 * commits, aborts and is fenced by a second instance ({@code librdkafka_transactions.py}); kcat, librdkafka's
 * consumer, reads with {@code isolation.level=read_committed} only the committed records, with read_uncommitted all
 * of them. Runs against Apache Kafka with {@code -Dsamsa.it.reference=HOST:PORT} ({@link TxnBroker}).
 */
class LibrdkafkaTransactionsIT {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;
    static TxnBroker broker;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(run(List.of(PYTHON, "-c", "import confluent_kafka")).exitCode() == 0,
                "Debian's python3-confluent-kafka is not installed (apt-get install python3-confluent-kafka)");
        assumeTrue(run(List.of("kcat", "-V")).exitCode() == 0, "kcat is not installed (apt-get install kcat)");
        broker = TxnBroker.start(dir.resolve("broker"), Map.of("transaction.state.log.num.partitions", "4"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void librdkafkaCommitsAbortsAndIsFencedAndReadCommittedKcatSeesOnlyTheCommittedRecords() throws Exception {
        // Given a one-partition topic
        broker.createTopic("rdkafka-txn", 1);

        // When librdkafka commits 10, aborts 5, commits 5, and is fenced with one record open
        Path script = dir.resolve("librdkafka_transactions.py");
        try (InputStream in = getClass().getResourceAsStream("/txn/librdkafka_transactions.py")) {
            Files.write(script, in.readAllBytes());
        }
        Result client = run(List.of(PYTHON, script.toString(), broker.bootstrapServers(), "rdkafka-txn",
                "rdkafka-producer"));

        // Then every step succeeded and the zombie could not commit
        assertThat(client.exitCode()).as(client.out() + client.err()).isZero();
        assertThat(client.out().lines().toList()).as(client.err()).hasSize(7)
                .contains("committed 10", "aborted 5", "committed 5", "successor committed 1")
                .anyMatch(l -> l.startsWith("zombie fenced: "));

        // And kcat with read_committed reads exactly the committed records, in order
        List<String> committed = Stream.concat(IntStream.range(0, 15).mapToObj(i -> "committed-" + i),
                Stream.of("successor-0")).toList();
        assertThat(kcat("read_committed")).containsExactlyElementsOf(committed);
        assertThat(Txn.values(broker.bootstrapServers(), "rdkafka-txn", READ_COMMITTED))
                .containsExactlyElementsOf(committed);

        // while read_uncommitted also reads the aborted ones and the zombie's record
        List<String> all = new ArrayList<>(IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList());
        IntStream.range(0, 5).mapToObj(i -> "aborted-" + i).forEach(all::add);
        IntStream.range(10, 15).mapToObj(i -> "committed-" + i).forEach(all::add);
        all.add("zombie-0");
        all.add("successor-0");
        assertThat(kcat("read_uncommitted")).containsExactlyElementsOf(all);
    }

    private static List<String> kcat(String isolation) throws Exception {
        Result r = run(List.of("kcat", "-C", "-b", broker.bootstrapServers(), "-t", "rdkafka-txn", "-p", "0",
                "-o", "beginning", "-e", "-q", "-f", "%s\\n", "-X", "isolation.level=" + isolation));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out().lines().toList();
    }

    private static Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            return new Result(127, "", e.getMessage());
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish in 120 s:\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
