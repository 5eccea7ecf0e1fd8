package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.txn.Txn;
import io.samsa.it.txn.Txn.Isolation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions under SIGKILL: a broker in its own JVM holds committed, aborted and one open transaction when it is
 * killed; after the restart, before anything is written by a client, a {@code read_committed} consumer reads exactly
 * the committed records in order, a {@code read_uncommitted} one every data record, and the open transaction is
 * aborted by the recovered coordinator (its timeout) so the last stable offset reaches the log end.
 */
class TransactionCrashIT {
    private static final String TOPIC = "txn-crash";

    @TempDir
    Path dir;

    @Test
    void committedAbortedAndOpenTransactionsSurviveKillNine() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir,
                Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"))) {
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            // Given: committed c-0..99, aborted a-0..49, committed d-0..49, and an open transaction o-0..19
            List<String> committed = new ArrayList<>();
            try (KafkaProducer<String, String> a = Txn.producer(broker.bootstrapServers(), "crash-a", Map.of())) {
                a.initTransactions();
                committed.addAll(transaction(a, "c", 100));
                a.commitTransaction();
                transaction(a, "a", 50);
                a.abortTransaction();
                committed.addAll(transaction(a, "d", 50));
                a.commitTransaction();
            }
            KafkaProducer<String, String> open = Txn.producer(broker.bootstrapServers(), "crash-open",
                    Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000));
            open.initTransactions();
            List<String> opened = transaction(open, "o", 20);
            open.flush();
            open.close(Duration.ZERO);

            // When the broker is killed with SIGKILL and started again on the same data
            broker.kill();
            broker.startProcess();

            // Then, with nothing written by a client since: read_committed sees exactly the committed records
            assertThat(Txn.values(broker.bootstrapServers(), TOPIC, Isolation.READ_COMMITTED)).isEqualTo(committed);
            // and the open transaction, once the recovered coordinator aborts it, changes nothing for read_committed
            // and lets the last stable offset reach the log end (read_uncommitted sees every data record)
            List<String> all = new ArrayList<>(committed.subList(0, 100));
            all.addAll(IntStream.range(0, 50).mapToObj(i -> "a-" + i).toList());
            all.addAll(committed.subList(100, 150));
            all.addAll(opened);
            assertThat(Txn.values(broker.bootstrapServers(), TOPIC, Isolation.READ_UNCOMMITTED)).isEqualTo(all);
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                await("the coordinator aborts the open transaction: LSO = HW").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                                assertThat(latest(admin, IsolationLevel.READ_COMMITTED))
                                        .isEqualTo(latest(admin, IsolationLevel.READ_UNCOMMITTED)));
            }
            assertThat(Txn.values(broker.bootstrapServers(), TOPIC, Isolation.READ_COMMITTED)).isEqualTo(committed);
        }
    }

    private static long latest(Admin admin, IsolationLevel isolation) throws Exception {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(tp)
                .get().offset();
    }

    /** Begins a transaction and sends {@code prefix-0..count-1}; returns the values. */
    private static List<String> transaction(KafkaProducer<String, String> producer, String prefix, int count)
            throws Exception {
        producer.beginTransaction();
        List<String> values = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        for (String v : values) {
            producer.send(new ProducerRecord<>(TOPIC, v, v));
        }
        producer.flush();
        return values;
    }
}
