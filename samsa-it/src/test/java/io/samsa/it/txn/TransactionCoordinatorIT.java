package io.samsa.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedSamsa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction coordinator against a real kafka-clients transactional {@code KafkaProducer} and {@code Admin}:
 * commit, abort, zombie fencing, the timeout limit, state surviving a restart, and the coordinator aborting a
 * transaction open past its timeout. (What read_committed consumers see is tested with the partition side.)
 */
class TransactionCoordinatorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static KafkaProducer<String, String> transactional(EmbeddedSamsa samsa, String id, int timeoutMs) {
        return samsa.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs, ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    }

    private static TransactionDescription describe(Admin admin, String id) throws Exception {
        return admin.describeTransactions(List.of(id)).description(id).get();
    }

    @Test
    void commitAndAbortCompleteAndShowInDescribeAndList() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir); Admin admin = samsa.admin()) {
            // Given a topic and a transactional producer
            samsa.createTopic("txn-out", 2, Map.of());
            try (KafkaProducer<String, String> producer = transactional(samsa, "app-1", 60_000)) {
                producer.initTransactions();
                TransactionDescription initial = describe(admin, "app-1");
                assertThat(initial.state()).isEqualTo(TransactionState.EMPTY);
                assertThat(initial.producerEpoch()).isEqualTo(0);

                // When it commits one transaction over both partitions
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-out", 0, "k", "committed-0")).get();
                producer.send(new ProducerRecord<>("txn-out", 1, "k", "committed-1")).get();
                TransactionDescription open = describe(admin, "app-1");
                assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
                assertThat(open.topicPartitions()).containsExactlyInAnyOrder(new TopicPartition("txn-out", 0),
                        new TopicPartition("txn-out", 1));
                assertThat(open.transactionStartTimeMs()).isPresent();
                producer.commitTransaction();

                // Then the coordinator completes it once the markers are written
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(describe(admin, "app-1").state()).isEqualTo(TransactionState.COMPLETE_COMMIT));
                assertThat(describe(admin, "app-1").topicPartitions()).isEmpty();
                // Transactions V2 (transaction.version 2 finalized, KIP-890 part 2): the producer sent no
                // AddPartitionsToTxn (the leaders added the partitions) and each EndTxn bumped the epoch
                assertThat(admin.describeFeatures().featureMetadata().get().finalizedFeatures()
                        .get("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
                assertThat(describe(admin, "app-1").producerEpoch()).isEqualTo(initial.producerEpoch() + 1);

                // When it aborts the next one
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-out", 0, "k", "aborted")).get();
                producer.abortTransaction();

                // Then it completes as aborted, with the same producer id and the next epoch (V2)
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(describe(admin, "app-1").state()).isEqualTo(TransactionState.COMPLETE_ABORT));
                assertThat(describe(admin, "app-1").producerId()).isEqualTo(initial.producerId());
                assertThat(describe(admin, "app-1").producerEpoch()).isEqualTo(initial.producerEpoch() + 2);

                // And ListTransactions finds it by state and by producer id, and not by another state
                assertThat(ids(admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(Set.of(TransactionState.COMPLETE_ABORT))).all().get())).contains("app-1");
                assertThat(ids(admin.listTransactions(new ListTransactionsOptions()
                        .filterProducerIds(Set.of(initial.producerId()))).all().get())).containsExactly("app-1");
                assertThat(ids(admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(Set.of(TransactionState.ONGOING))).all().get())).doesNotContain("app-1");
            }
        }
    }

    @Test
    void aSecondProducerWithTheSameIdFencesTheFirst() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir); Admin admin = samsa.admin()) {
            samsa.createTopic("txn-zombie", 1, Map.of());
            try (KafkaProducer<String, String> zombie = transactional(samsa, "copier", 60_000);
                 KafkaProducer<String, String> successor = transactional(samsa, "copier", 60_000)) {
                // Given a producer in the middle of a transaction
                zombie.initTransactions();
                zombie.beginTransaction();
                zombie.send(new ProducerRecord<>("txn-zombie", "k", "from-zombie")).get();
                int zombieEpoch = describe(admin, "copier").producerEpoch();

                // When a second instance with the same transactional.id initializes
                successor.initTransactions();

                // Then the open transaction was aborted and the new instance holds a higher epoch
                TransactionDescription after = describe(admin, "copier");
                assertThat(after.producerEpoch()).isGreaterThan(zombieEpoch);
                assertThat(after.state()).isIn(TransactionState.EMPTY);

                // And the first instance is fenced when it tries to commit
                assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);

                // And the new instance works
                successor.beginTransaction();
                successor.send(new ProducerRecord<>("txn-zombie", "k", "from-successor")).get();
                successor.commitTransaction();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(describe(admin, "copier").state()).isEqualTo(TransactionState.COMPLETE_COMMIT));
            }
        }
    }

    @Test
    void aTimeoutAboveTheMaximumIsRefused() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir, Map.of("transaction.max.timeout.ms", "60000"));
             KafkaProducer<String, String> producer = transactional(samsa, "too-patient", 120_000)) {
            // the Java client reports INVALID_TRANSACTION_TIMEOUT as a KafkaException with the error's message
            assertThatThrownBy(producer::initTransactions).satisfies(e -> assertThat(causes(e)).anyMatch(c ->
                    c instanceof InvalidTxnTimeoutException
                            || c.getMessage().contains(Errors.INVALID_TRANSACTION_TIMEOUT.message())));
        }
    }

    @Test
    void coordinatorStateSurvivesARestart() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir)) {
            // Given one id with a committed transaction and one with a transaction left open
            samsa.createTopic("txn-restart", 3, Map.of());
            long committedPid;
            long openPid;
            int openEpoch;
            try (KafkaProducer<String, String> done = transactional(samsa, "done", 60_000);
                 KafkaProducer<String, String> open = transactional(samsa, "open", 600_000);
                 Admin admin = samsa.admin()) {
                done.initTransactions();
                done.beginTransaction();
                done.send(new ProducerRecord<>("txn-restart", 0, "k", "v")).get();
                done.commitTransaction();
                open.initTransactions();
                open.beginTransaction();
                open.send(new ProducerRecord<>("txn-restart", 1, "k", "v")).get();
                open.send(new ProducerRecord<>("txn-restart", 2, "k", "v")).get();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(describe(admin, "done").state()).isEqualTo(TransactionState.COMPLETE_COMMIT));
                committedPid = describe(admin, "done").producerId();
                TransactionDescription o = describe(admin, "open");
                openPid = o.producerId();
                openEpoch = o.producerEpoch();
                open.close(Duration.ZERO); // no abort on the way out: the transaction stays open
            }

            // When the broker restarts
            samsa.restart();

            // Then, without any write first, both ids read back as they were
            try (Admin admin = samsa.admin()) {
                TransactionDescription done = await().atMost(WAIT).ignoreExceptions()
                        .until(() -> describe(admin, "done"), d -> d != null);
                assertThat(done.state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
                assertThat(done.producerId()).isEqualTo(committedPid);
                TransactionDescription open = describe(admin, "open");
                assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
                assertThat(open.producerId()).isEqualTo(openPid);
                assertThat(open.producerEpoch()).isEqualTo(openEpoch);
                assertThat(open.transactionTimeoutMs()).isEqualTo(600_000);
                assertThat(open.topicPartitions()).containsExactlyInAnyOrder(new TopicPartition("txn-restart", 1),
                        new TopicPartition("txn-restart", 2));
                Map<String, TransactionState> listed = admin.listTransactions().all().get().stream()
                        .collect(Collectors.toMap(TransactionListing::transactionalId, TransactionListing::state));
                assertThat(listed).containsEntry("done", TransactionState.COMPLETE_COMMIT)
                        .containsEntry("open", TransactionState.ONGOING);
                assertThat(ids(admin.listTransactions(new ListTransactionsOptions().filterOnDuration(1))
                        .all().get())).contains("open");
            }
        }
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedByTheCoordinator() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir,
                Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200"));
             Admin admin = samsa.admin()) {
            samsa.createTopic("txn-slow", 1, Map.of());
            try (KafkaProducer<String, String> producer = transactional(samsa, "slow", 1_500)) {
                // Given a transaction left open by a producer that stalls
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-slow", "k", "v")).get();
                int epoch = describe(admin, "slow").producerEpoch();

                // Then after its transaction.timeout.ms the coordinator aborts it, bumping the epoch
                await().atMost(WAIT).untilAsserted(() -> {
                    TransactionDescription d = describe(admin, "slow");
                    assertThat(d.state()).isEqualTo(TransactionState.COMPLETE_ABORT);
                    assertThat(d.producerEpoch()).isEqualTo(epoch + 1);
                });

                // And the stalled producer can no longer commit it: under Transactions V2 its EndTxn at the old epoch
                // finds the transaction aborted, INVALID_TXN_STATE (what Kafka 4.3.1 answers too)
                assertThatThrownBy(producer::commitTransaction).isInstanceOf(InvalidTxnStateException.class);
            }
        }
    }

    @Test
    void idleTransactionalIdsExpireAndStayExpiredAfterARestart() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir, Map.of("transactional.id.expiration.ms", "2000",
                "transaction.remove.expired.transaction.cleanup.interval.ms", "200"));
             Admin admin = samsa.admin()) {
            // Given an id whose transaction completed and a producer that went away
            samsa.createTopic("txn-idle", 1, Map.of());
            try (KafkaProducer<String, String> producer = transactional(samsa, "idle", 60_000)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-idle", "k", "v")).get();
                producer.commitTransaction();
            }
            // Then after transactional.id.expiration.ms it is gone
            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> describe(admin, "idle"))
                    .hasCauseInstanceOf(TransactionalIdNotFoundException.class));
        }
        // And it stays gone after a restart with the default expiration: its tombstone is replayed
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir); Admin admin = samsa.admin()) {
            assertThatThrownBy(() -> describe(admin, "idle"))
                    .hasCauseInstanceOf(TransactionalIdNotFoundException.class);
            assertThat(ids(admin.listTransactions().all().get())).doesNotContain("idle");
        }
    }

    @Test
    void kafkaDumpLogDecodesTheTransactionLog() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir); Admin admin = samsa.admin()) {
            // Given a committed transaction
            samsa.createTopic("txn-dump", 1, Map.of());
            long producerId;
            try (KafkaProducer<String, String> producer = transactional(samsa, "dumped", 60_000)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("txn-dump", "k", "v")).get();
                producer.commitTransaction();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(describe(admin, "dumped").state()).isEqualTo(TransactionState.COMPLETE_COMMIT));
                producerId = describe(admin, "dumped").producerId();
            }

            // When Kafka's kafka-dump-log decodes its __transaction_state partition
            int partition = Utils.abs("dumped".hashCode()) % 50;
            Path segment = samsa.logDir().resolve("__transaction_state-" + partition)
                    .resolve(String.format("%020d.log", 0));
            String out = dumpLog("--files", segment.toString(), "--transaction-log-decoder");

            // Then every state of the id reads back: Empty (0), Ongoing (1), PrepareCommit (2), CompleteCommit (4)
            assertThat(out).doesNotContain("Exception").doesNotContain("Unknown")
                    .contains("\"transactionalId\":\"dumped\"")
                    .contains("\"producerId\":" + producerId)
                    .contains("\"transactionStatus\":1").contains("\"transactionStatus\":2")
                    .contains("\"transactionStatus\":4")
                    .contains("\"topic\":\"txn-dump\"");
        }
    }

    /** Runs Kafka 4.3.1's DumpLogSegments in a child JVM (it may call Exit) and returns its output. */
    private String dumpLog(String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", cp, "org.apache.kafka.tools.DumpLogSegments"));
        cmd.addAll(List.of(args));
        Path out = java.nio.file.Files.createTempFile(dir, "dump", ".txt");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String output = java.nio.file.Files.readString(out);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static List<String> ids(java.util.Collection<TransactionListing> listings) {
        return listings.stream().map(TransactionListing::transactionalId).toList();
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }
}
