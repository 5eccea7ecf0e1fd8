package io.samsa.it.txn;

import static io.samsa.it.txn.Txn.Isolation.READ_COMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samsa transactions list|describe|describe-producers|abort|find-hanging} against a live broker with an open
 * transaction; runs against Apache Kafka with {@code -Dsamsa.it.reference=HOST:PORT} ({@link TxnBroker}).
 */
class TransactionsCliIT {
    @TempDir
    static Path dir;
    static TxnBroker broker;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        broker = TxnBroker.start(dir, Map.of("transaction.state.log.num.partitions", "4"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static Run samsa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", broker.bootstrapServers()));
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The cells of the one output line having {@code cell} as a cell. */
    static List<String> row(Run run, String cell) {
        List<List<String>> rows = run.out().lines().map(l -> List.of(l.strip().split("\\s+")))
                .filter(r -> r.contains(cell)).toList();
        assertThat(rows).as(run.out()).hasSize(1);
        return rows.getFirst();
    }

    @Test
    void listDescribeFindHangingAndAbortAnOpenTransaction() throws Exception {
        // Given an open transaction of two records on cli-txn-0
        broker.createTopic("cli-txn", 1);
        KafkaProducer<String, String> producer = Txn.producer(broker.bootstrapServers(), "cli-open", Map.of());
        try {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("cli-txn", 0, "k", "open-1"));
            producer.send(new ProducerRecord<>("cli-txn", 0, "k", "open-2"));
            producer.flush();

            // When it is listed: one row, Ongoing; filters by state, producer id and id pattern
            Run list = samsa("transactions", "list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h.split("\\s+"))
                    .containsExactly("TransactionalId", "Coordinator", "ProducerId", "TransactionState"));
            List<String> listed = row(list, "cli-open");
            assertThat(listed.get(3)).isEqualTo("Ongoing");
            String producerId = listed.get(2);
            assertThat(samsa("transactions", "list", "--state", "Ongoing").out()).contains("cli-open");
            assertThat(samsa("transactions", "list", "--state", "CompleteCommit,Empty").out())
                    .doesNotContain("cli-open");
            assertThat(samsa("transactions", "list", "--producer-id", producerId).out()).contains("cli-open");
            assertThat(samsa("transactions", "list", "--transactional-id-pattern", "nomatch-.*").out())
                    .doesNotContain("cli-open");
            assertThat(samsa("transactions", "list", "--duration-filter", "3600000").out())
                    .doesNotContain("cli-open");

            // Then describe shows its producer, state and partition
            Run describe = samsa("transactions", "describe", "--transactional-id", "cli-open");
            assertThat(describe.code()).as(describe.err()).isZero();
            List<String> d = row(describe, "cli-open");
            assertThat(d).hasSize(9);
            assertThat(d.get(2)).isEqualTo(producerId);
            assertThat(d.get(4)).isEqualTo("Ongoing");
            assertThat(d.get(8)).isEqualTo("cli-txn-0");

            // and describe-producers shows the transaction starting at offset 0
            Run producers = samsa("transactions", "describe-producers", "--topic", "cli-txn", "--partition", "0");
            assertThat(producers.code()).as(producers.err()).isZero();
            assertThat(row(producers, producerId).getLast()).isEqualTo("0");

            // and find-hanging finds nothing: the coordinator knows the partition
            Run hanging = samsa("transactions", "find-hanging", "--topic", "cli-txn", "--max-transaction-timeout", "0");
            assertThat(hanging.code()).as(hanging.err()).isZero();
            assertThat(hanging.out().lines().toList()).hasSize(1).first().asString().startsWith("Topic");

            // When abort names a start offset with no transaction: one error line
            Run wrong = samsa("transactions", "abort", "--topic", "cli-txn", "--partition", "0", "--start-offset", "7");
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err().lines().toList()).containsExactly(
                    "samsa: Could not find any open transactions starting at offset 7 on partition cli-txn-0");

            // When it is aborted by its start offset
            Run abort = samsa("transactions", "abort", "--topic", "cli-txn", "--partition", "0", "--start-offset", "0");
            assertThat(abort.code()).as(abort.err()).isZero();

            // Then the partition has no open transaction and read_committed reads past the aborted records
            assertThat(row(samsa("transactions", "describe-producers", "--topic", "cli-txn", "--partition", "0"),
                    producerId).getLast()).isEqualTo("None");
            try (KafkaProducer<String, String> plain = Txn.producer(broker.bootstrapServers(), "cli-after", Map.of())) {
                plain.initTransactions();
                plain.beginTransaction();
                plain.send(new ProducerRecord<>("cli-txn", 0, "k", "after"));
                plain.commitTransaction();
            }
            assertThat(Txn.values(broker.bootstrapServers(), "cli-txn", READ_COMMITTED)).containsExactly("after");
        } finally {
            producer.close(Duration.ZERO);
        }
    }

    @Test
    void failuresAreOneLine() {
        Run unknown = samsa("transactions", "describe", "--transactional-id", "no-such-id");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err().lines().toList()).singleElement().asString()
                .startsWith("samsa: Failed to describe transaction state of transactional-id `no-such-id`: ");

        Run noScope = samsa("transactions", "find-hanging");
        assertThat(noScope.code()).isEqualTo(2);
        assertThat(noScope.err()).startsWith("samsa: find-hanging requires either --topic or --broker-id");

        Run both = samsa("transactions", "abort", "--topic", "t", "--partition", "0", "--start-offset", "1",
                "--producer-id", "1", "--producer-epoch", "0", "--coordinator-epoch", "0");
        assertThat(both.code()).isEqualTo(2);

        Run badState = samsa("transactions", "list", "--state", "Sleeping");
        assertThat(badState.code()).isEqualTo(2);
        assertThat(badState.err()).startsWith("samsa: unknown transaction state 'Sleeping'");
    }
}
