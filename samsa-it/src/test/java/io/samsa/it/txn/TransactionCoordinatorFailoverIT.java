package io.samsa.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes: markers go to partition leaders on other brokers, and the transaction coordinator moves with the
 * leadership of its {@code __transaction_state} partition: the new coordinator replays the state and the producer
 * finishes its transaction there.
 */
class TransactionCoordinatorFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TXN_PARTITIONS = 3;

    @TempDir
    Path dir;

    @Test
    void anOpenTransactionSurvivesTheMoveOfItsCoordinator() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(dir, 3, Map.of(
                "broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500",
                "replica.lag.time.max.ms", "3000", "offsets.topic.replication.factor", "3",
                "transaction.state.log.num.partitions", String.valueOf(TXN_PARTITIONS)));
             Admin admin = cluster.admin()) {
            // Given a topic whose three partitions are led by the three brokers, and a committed transaction
            admin.createTopics(List.of(new NewTopic("fo-out", 3, (short) 3))).all().get();
            try (KafkaProducer<String, String> producer = cluster.producer(Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fo", ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000))) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>("fo-out", p, "k", "first")).get();
                }
                producer.commitTransaction();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(describe(admin, "fo").state()).isEqualTo(TransactionState.COMPLETE_COMMIT));

                // And a second transaction left open
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("fo-out", 0, "k", "second")).get();
                producer.send(new ProducerRecord<>("fo-out", 2, "k", "second")).get();
                TransactionDescription before = describe(admin, "fo");
                assertThat(before.state()).isEqualTo(TransactionState.ONGOING);

                // When the broker coordinating it stops
                TopicPartition txnPartition = new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME,
                        Utils.abs("fo".hashCode()) % TXN_PARTITIONS);
                int coordinator = cluster.leaderOf(txnPartition);
                assertThat(before.coordinatorId()).isEqualTo(coordinator);
                cluster.stop(coordinator);
                int successor = cluster.awaitLeader(txnPartition.topic(), txnPartition.partition());
                assertThat(successor).isNotEqualTo(coordinator);

                // Then the new coordinator has the open transaction as it was
                try (Admin other = adminOf(cluster, successor)) {
                    TransactionDescription after = await().atMost(WAIT).ignoreExceptions()
                            .until(() -> describe(other, "fo"), d -> d.coordinatorId() == successor);
                    assertThat(after.state()).isEqualTo(TransactionState.ONGOING);
                    assertThat(after.producerId()).isEqualTo(before.producerId());
                    assertThat(after.producerEpoch()).isEqualTo(before.producerEpoch());
                    assertThat(after.topicPartitions()).containsExactlyInAnyOrder(new TopicPartition("fo-out", 0),
                            new TopicPartition("fo-out", 2));

                    // And the producer commits it there
                    producer.commitTransaction();
                    await().atMost(WAIT).untilAsserted(() ->
                            assertThat(describe(other, "fo").state()).isEqualTo(TransactionState.COMPLETE_COMMIT));
                }
            }
        }
    }

    private static Admin adminOf(EmbeddedCluster cluster, int nodeId) {
        return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers(nodeId),
                "default.api.timeout.ms", 30_000, "request.timeout.ms", 15_000));
    }

    private static TransactionDescription describe(Admin admin, String id) throws Exception {
        return admin.describeTransactions(List.of(id)).description(id).get();
    }
}
