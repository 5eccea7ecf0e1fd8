package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.group.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers copy the transaction state of their leader (KIP-98): after the leader dies, the new leader holds the same
 * last stable offset, aborted transactions and open transaction, and completes the open one when its marker comes.
 */
class TransactionReplicationIT {
    private static final String TOPIC = "txn-repl";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final short EPOCH = 0;

    @TempDir
    Path dir;
    EmbeddedCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNewLeaderKeepsTheLastStableOffsetAndTheAbortedTransactions() throws Exception {
        // Given a replicated partition with a committed (1), an aborted (2) and an open (3) transaction
        cluster = EmbeddedCluster.start(dir, 3, withoutVerification());
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        int leader = cluster.awaitLeader(TOPIC, 0);
        try (RawClient raw = new RawClient(cluster.bootstrapServers(leader))) {
            TransactionMarkersIT.produce(raw, TOPIC, TransactionMarkersIT.transactional(1L, 0, "c0", "c1")); // 0-1
            TransactionMarkersIT.produce(raw, TOPIC, TransactionMarkersIT.transactional(2L, 0, "a0", "a1")); // 2-3
            assertThat(TransactionMarkersIT.markers(raw, 1L, EPOCH, 5, TransactionResult.COMMIT, TP))
                    .isEqualTo(Errors.NONE); // 4
            assertThat(TransactionMarkersIT.markers(raw, 2L, EPOCH, 5, TransactionResult.ABORT, TP))
                    .isEqualTo(Errors.NONE); // 5
            TransactionMarkersIT.produce(raw, TOPIC, TransactionMarkersIT.transactional(3L, 0, "h0")); // 6
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(latest(IsolationLevel.READ_UNCOMMITTED)).isEqualTo(7));
        assertThat(latest(IsolationLevel.READ_COMMITTED)).isEqualTo(6);

        // When its leader dies
        cluster.kill(leader);
        int newLeader = cluster.awaitLeader(TOPIC, 0);
        assertThat(newLeader).isNotEqualTo(leader);

        // Then the new leader answers as the old one did
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(latest(IsolationLevel.READ_COMMITTED)).isEqualTo(6));
        assertThat(values(IsolationLevel.READ_COMMITTED)).containsExactly("c0", "c1");
        assertThat(values(IsolationLevel.READ_UNCOMMITTED)).containsExactly("c0", "c1", "a0", "a1", "h0");
        try (Admin admin = cluster.admin()) {
            List<ProducerState> producers = admin.describeProducers(List.of(TP)).partitionResult(TP)
                    .get(30, TimeUnit.SECONDS).activeProducers();
            assertThat(producers).filteredOn(p -> p.producerId() == 3L).singleElement()
                    .satisfies(p -> assertThat(p.currentTransactionStartOffset()).hasValue(6L));
        }

        // and it completes the open transaction, still fencing an older coordinator
        try (RawClient raw = new RawClient(cluster.bootstrapServers(newLeader))) {
            assertThat(TransactionMarkersIT.markers(raw, 2L, EPOCH, 4, TransactionResult.ABORT, TP))
                    .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
            assertThat(TransactionMarkersIT.markers(raw, 3L, EPOCH, 5, TransactionResult.COMMIT, TP))
                    .isEqualTo(Errors.NONE);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(latest(IsolationLevel.READ_COMMITTED)).isEqualTo(8));
        assertThat(values(IsolationLevel.READ_COMMITTED)).containsExactly("c0", "c1", "h0");
    }

    private long latest(IsolationLevel isolation) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.listOffsets(Map.of(TP, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                    .partitionResult(TP).get(30, TimeUnit.SECONDS).offset();
        }
    }

    private List<String> values(IsolationLevel isolation) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = cluster.consumer(Map.of("isolation.level",
                isolation.toString().toLowerCase(Locale.ROOT)))) {
            for (ConsumerRecord<String, String> r : LogReader.readAll(consumer, List.of(TP), Duration.ofSeconds(60))
                    .get(TP)) {
                out.add(r.value());
            }
        }
        return out;
    }

    /** {@link ReplicationIT#FAST} with {@link TransactionMarkersIT#NO_VERIFICATION} (raw batches, no coordinator). */
    private static Map<String, String> withoutVerification() {
        Map<String, String> overrides = new java.util.HashMap<>(ReplicationIT.FAST);
        overrides.putAll(TransactionMarkersIT.NO_VERIFICATION);
        return overrides;
    }
}
