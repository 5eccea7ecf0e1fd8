package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leadership that begins while its followers' fetchers are parked at the new leader, in a long poll for their other
 * partitions, gets its first {@code acks=all} write acknowledged without that long poll running out. The long poll
 * ({@code replica.fetch.wait.max.ms}) is 30 s here and the producer gives up after 15 s: a follower that joined the
 * new partition only at its next fetch would fail the write. Both the first write to a new topic and the first write
 * after a leader moved (controlled shutdown) are covered.
 */
class NewLeadershipIT {
    static final Map<String, String> LONG_POLLS = Map.of(
            "replica.fetch.wait.max.ms", "30000",
            "replica.socket.timeout.ms", "60000",
            "replica.lag.time.max.ms", "60000",
            "broker.session.timeout.ms", "6000",
            "broker.heartbeat.interval.ms", "500",
            "offsets.topic.replication.factor", "3",
            "offsets.topic.num.partitions", "1",
            "default.replication.factor", "3",
            "min.insync.replicas", "2");

    @TempDir
    Path dir;
    EmbeddedCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = EmbeddedCluster.start(dir, 3, LONG_POLLS);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theFirstAcksAllWritesToANewTopicAndAfterALeaderMovesAreAcknowledgedWithoutWaitingOutTheLongPoll()
            throws Exception {
        try (KafkaProducer<String, String> producer = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.LINGER_MS_CONFIG, 0))) {
            // Given every broker leads a partition of "warm", so that every follower's fetcher is parked at every
            // broker in a 30 s long poll once the writes are replicated
            createTopic("warm", 3);
            sendToEveryPartition(producer, "warm", 3);

            // When a topic is created, its first acks=all writes are acknowledged by both followers
            createTopic("fresh", 3);
            List<RecordMetadata> first = sendToEveryPartition(producer, "fresh", 3);
            assertThat(first).extracting(RecordMetadata::offset).containsOnly(0L);

            // When the leader of fresh-0 shuts down (its leaderships move), the next write there is acknowledged too
            int leader = cluster.leaderOf(new TopicPartition("fresh", 0));
            cluster.stop(leader);
            int next = cluster.awaitLeader("fresh", 0);
            assertThat(next).isNotEqualTo(leader);
            RecordMetadata moved = producer.send(new ProducerRecord<>("fresh", 0, null, "after-move"))
                    .get(20, TimeUnit.SECONDS);
            assertThat(moved.offset()).isEqualTo(1L);
        }
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        for (int p = 0; p < partitions; p++) {
            cluster.awaitLeader(name, p);
        }
    }

    private static List<RecordMetadata> sendToEveryPartition(KafkaProducer<String, String> producer, String topic,
                                                             int partitions) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            sent.add(producer.send(new ProducerRecord<>(topic, p, null, topic + "-" + p)));
        }
        List<RecordMetadata> acked = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            acked.add(f.get(20, TimeUnit.SECONDS));
        }
        return acked;
    }
}
