package io.samsa.it.txn;

import static io.samsa.it.txn.Txn.Isolation.READ_COMMITTED;
import static io.samsa.it.txn.Txn.Isolation.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions end to end on one node with kafka-clients' transactional producer: commit, abort, zombie fencing,
 * the coordinator's abort of a timed-out transaction, {@code sendOffsetsToTransaction} in a consume–transform–produce
 * loop, and what read_committed and read_uncommitted consumers see. The broker is restarted (cleanly, same data and
 * port) between every step, and every check after a restart reads before anything is written. Kafka's own
 * {@code kafka-transactions} tool lists and describes the transactions.
 *
 * <p>Runs against Apache Kafka too: {@code -Dsamsa.it.reference=HOST:PORT} (see {@link TxnBroker}; restarts then do
 * nothing); the reference needs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms=500}.
 */
class TransactionsIT {
    @TempDir
    static Path dir;
    static TxnBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TxnBroker.start(dir, Map.of(
                "transaction.state.log.num.partitions", "4",
                "offsets.topic.num.partitions", "4",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String bootstrap() {
        return broker.bootstrapServers();
    }

    private static List<String> committed(String topic) {
        return Txn.values(bootstrap(), topic, READ_COMMITTED);
    }

    private static List<String> uncommitted(String topic) {
        return Txn.values(bootstrap(), topic, READ_UNCOMMITTED);
    }

    private static List<String> range(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private static void send(KafkaProducer<String, String> producer, String topic, List<String> values) {
        values.forEach(v -> producer.send(new ProducerRecord<>(topic, v, v)));
        producer.flush();
    }

    @Test
    void committedAbortedAndOpenTransactionsAreSeenAsEachIsolationLevelShould() throws Exception {
        // Given a one-partition topic and a transactional producer
        String topic = "txn-basic";
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = Txn.producer(bootstrap(), "basic", Map.of())) {
            producer.initTransactions();

            // When a transaction of 10 records commits
            producer.beginTransaction();
            send(producer, topic, range("c", 0, 10));
            producer.commitTransaction();
            broker.restart();

            // Then both levels see them
            assertThat(committed(topic)).containsExactlyElementsOf(range("c", 0, 10));
            assertThat(uncommitted(topic)).containsExactlyElementsOf(range("c", 0, 10));

            // When the next transaction of 5 aborts
            producer.beginTransaction();
            send(producer, topic, range("a", 0, 5));
            producer.abortTransaction();
            broker.restart();

            // Then read_committed skips them, read_uncommitted does not
            assertThat(committed(topic)).containsExactlyElementsOf(range("c", 0, 10));
            assertThat(uncommitted(topic)).containsExactlyElementsOf(
                    concat(range("c", 0, 10), range("a", 0, 5)));

            // When a transaction is left open across a restart
            producer.beginTransaction();
            send(producer, topic, range("o", 0, 3));
            broker.restart();

            // Then read_committed stops before it (last stable offset), read_uncommitted reads it
            assertThat(committed(topic)).containsExactlyElementsOf(range("c", 0, 10));
            assertThat(uncommitted(topic)).containsExactlyElementsOf(
                    concat(range("c", 0, 10), range("a", 0, 5), range("o", 0, 3)));

            // When the same producer commits it after the restart, and one more committed record follows
            producer.commitTransaction();
            broker.restart();
            // the commit returned once the coordinator logged it; its markers may still be on their way when the
            // broker stops, and the reloaded coordinator sends them again (Kafka's TransactionMarkerChannelManager)
            await("the commit markers after the restart").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(committed(topic)).containsExactlyElementsOf(
                            concat(range("c", 0, 10), range("o", 0, 3))));
            producer.beginTransaction();
            send(producer, topic, List.of("last"));
            producer.commitTransaction();
        }
        broker.restart();

        // Then read_committed sees exactly the committed records, in order (once the markers are written)
        await("the last commit's markers after the restart").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(committed(topic)).containsExactlyElementsOf(
                        concat(range("c", 0, 10), range("o", 0, 3), List.of("last"))));
        assertThat(uncommitted(topic)).hasSize(10 + 5 + 3 + 1);
    }

    @Test
    void aNewInstanceOfATransactionalIdFencesTheZombieAndAbortsItsOpenTransaction() throws Exception {
        // Given a producer with an open transaction on two partitions
        String topic = "txn-zombie";
        broker.createTopic(topic, 2);
        KafkaProducer<String, String> zombie = Txn.producer(bootstrap(), "zombie", Map.of());
        try {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, 0, "k", "zombie-0"));
            zombie.send(new ProducerRecord<>(topic, 1, "k", "zombie-1"));
            zombie.flush();
            broker.restart();
            assertThat(committed(topic)).isEmpty();

            // When a new instance with the same transactional.id initialises and commits its own transaction
            try (KafkaProducer<String, String> successor = Txn.producer(bootstrap(), "zombie", Map.of())) {
                successor.initTransactions();
                broker.restart();
                assertThat(committed(topic)).isEmpty(); // the zombie's records are aborted, not committed
                assertThat(uncommitted(topic)).containsExactlyInAnyOrder("zombie-0", "zombie-1");
                successor.beginTransaction();
                successor.send(new ProducerRecord<>(topic, 0, "k", "successor-0"));
                successor.commitTransaction();
            }
            broker.restart();

            // Then the zombie can neither write nor commit
            assertThatThrownBy(() -> {
                zombie.send(new ProducerRecord<>(topic, 1, "k", "zombie-late")).get();
                zombie.commitTransaction();
            }).isInstanceOf(Exception.class);
        } finally {
            zombie.close(Duration.ZERO);
        }
        broker.restart();

        // And read_committed sees only the successor's record
        assertThat(committed(topic)).containsExactly("successor-0");
    }

    @Test
    void theCoordinatorAbortsATransactionThatOutlivesItsTimeout() throws Exception {
        // Given a producer with transaction.timeout.ms 2000 that opens a transaction and goes quiet
        String topic = "txn-timeout";
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = Txn.producer(bootstrap(), "slow",
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2000))) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, List.of("late-1", "late-2"));
            broker.restart();

            // When the timeout passes, the coordinator aborts it: the partition becomes stable again
            try (Admin admin = broker.admin()) {
                await("coordinator aborts the timed-out transaction").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                            TransactionDescription d = admin.describeTransactions(List.of("slow"))
                                    .description("slow").get();
                            assertThat(d.state()).isIn(TransactionState.COMPLETE_ABORT, TransactionState.EMPTY);
                        });
            }
            broker.restart();
            assertThat(committed(topic)).isEmpty();
            assertThat(uncommitted(topic)).containsExactly("late-1", "late-2");

            // Then the producer's commit fails (its epoch was bumped by the abort)
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(KafkaException.class);
        }
        broker.restart();

        // And after it all, read_committed still sees nothing: a record appended after the abort is readable
        try (KafkaProducer<String, String> producer = Txn.producer(bootstrap(), "slow", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, List.of("after"));
            producer.commitTransaction();
        }
        broker.restart();
        assertThat(committed(topic)).containsExactly("after");
    }

    @Test
    void aConsumeTransformProduceLoopCopiesEveryRecordExactlyOnceAcrossAnAbortAndARestart() throws Exception {
        // Given 100 input records on two partitions
        String in = "ctp-in";
        String out = "ctp-out";
        broker.createTopic(in, 2);
        broker.createTopic(out, 2);
        try (KafkaProducer<String, String> plain = Txn.producer(bootstrap(), "ctp-loader", Map.of())) {
            plain.initTransactions();
            plain.beginTransaction();
            IntStream.range(0, 100).forEach(i -> plain.send(new ProducerRecord<>(in, i % 2, "k" + i, "v" + i)));
            plain.commitTransaction();
        }
        broker.restart();

        // When a copier commits transactions of up to 10 records until at least 50 are copied...
        int copied = copy(in, out, 50, false);
        assertThat(copied).isGreaterThanOrEqualTo(50);
        broker.restart();
        // ...then reads, transforms and aborts one more transaction, and stops
        copy(in, out, 1, true);
        broker.restart();
        assertThat(committed(out)).hasSize(copied);

        // and a new copier instance with the same group and transactional id finishes the job
        copy(in, out, 100 - copied, false);
        broker.restart();

        // Then the output holds each input record once, transformed; the aborted copies only under read_uncommitted
        assertThat(committed(out)).hasSize(100).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 100).mapToObj(i -> "V" + i).toList());
        assertThat(uncommitted(out).size()).isGreaterThan(100);
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("ctp")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(offsets).containsEntry(new TopicPartition(in, 0), new OffsetAndMetadata(50))
                    .containsEntry(new TopicPartition(in, 1), new OffsetAndMetadata(50));
        }
    }

    /**
     * One copier instance (group {@code ctp}, transactional id {@code ctp-copier}, read_committed): copies in
     * transactions of at most 10 records, upper-casing values, until at least {@code atLeast} are copied; with
     * {@code abort}, aborts every transaction instead. Returns the number of records committed.
     */
    private static int copy(String in, String out, int atLeast, boolean abort) {
        int done = 0;
        try (KafkaConsumer<String, String> consumer = Txn.consumer(bootstrap(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "ctp",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10));
             KafkaProducer<String, String> producer = Txn.producer(bootstrap(), "ctp-copier", Map.of())) {
            producer.initTransactions();
            consumer.subscribe(List.of(in));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (done < atLeast) {
                assertThat(System.nanoTime()).as("copied %d of %d in time", done, atLeast).isLessThan(deadline);
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    producer.send(new ProducerRecord<>(out, r.partition(), r.key(), r.value().toUpperCase()));
                    next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                if (abort) {
                    producer.flush(); // the records reach the log, so that the abort has something to hide

                    producer.abortTransaction();
                    return done;
                }
                producer.commitTransaction();
                done += records.count();
            }
        }
        return done;
    }

    @Test
    void kafkasTransactionsToolListsAndDescribesTheTransactions() throws Exception {
        // Given an open transaction on two partitions
        String topic = "txn-tool";
        broker.createTopic(topic, 2);
        try (KafkaProducer<String, String> producer = Txn.producer(bootstrap(), "tool-txn", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "v0"));
            producer.send(new ProducerRecord<>(topic, 1, "k", "v1"));
            producer.flush();
            broker.restart();

            // When kafka-transactions lists and describes
            ChildJvm.Result list = tool("list");
            ChildJvm.Result describe = tool("describe", "--transactional-id", "tool-txn");
            ChildJvm.Result producers = tool("describe-producers", "--topic", topic, "--partition", "0");

            // Then the transaction is listed as Ongoing with its producer id and both partitions
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).contains("TransactionalId", "Coordinator", "ProducerId", "TransactionState");
            assertThat(row(list.output(), "tool-txn")).hasSize(4).element(3).isEqualTo("Ongoing");
            assertThat(describe.exitCode()).as(describe.output()).isZero();
            List<String> d = row(describe.output(), "tool-txn");
            assertThat(d).hasSize(9);
            assertThat(d.get(2)).isEqualTo(row(list.output(), "tool-txn").get(2));
            assertThat(d.get(4)).isEqualTo("Ongoing");
            assertThat(d.get(8).split(",")).containsExactlyInAnyOrder(topic + "-0", topic + "-1");
            assertThat(producers.exitCode()).as(producers.output()).isZero();
            assertThat(producers.output()).contains("CurrentTransactionStartOffset")
                    .containsPattern("(?m)^" + d.get(2) + "\\s+.*\\s0\\s*$");

            producer.commitTransaction();
        }
        broker.restart();

        // And after the commit it is described as CompleteCommit with no partitions
        ChildJvm.Result after = tool("describe", "--transactional-id", "tool-txn");
        assertThat(after.exitCode()).as(after.output()).isZero();
        assertThat(row(after.output(), "tool-txn").get(4)).isEqualTo("CompleteCommit");
        ChildJvm.Result pattern = tool("list", "--transactional-id-pattern", "tool-.*");
        assertThat(pattern.exitCode()).as(pattern.output()).isZero();
        assertThat(row(pattern.output(), "tool-txn").get(3)).isEqualTo("CompleteCommit");
        assertThat(pattern.output()).doesNotContain("ctp-", "basic");
    }

    private static ChildJvm.Result tool(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap()));
        all.addAll(List.of(args));
        return ChildJvm.run(Files.createDirectories(dir.resolve("tools")), "org.apache.kafka.tools.TransactionsCommand",
                all, 90);
    }

    /** The whitespace-separated cells of the one output line that contains {@code cell} as a cell. */
    private static List<String> row(String output, String cell) {
        List<List<String>> rows = output.lines().map(l -> List.of(l.strip().split("\\s+")))
                .filter(r -> r.contains(cell)).toList();
        assertThat(rows).as(output).hasSize(1);
        return rows.getFirst();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
