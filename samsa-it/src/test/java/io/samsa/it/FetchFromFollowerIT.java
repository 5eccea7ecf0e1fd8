package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-392: with {@code replica.selector.class} set to Kafka's rack-aware selector, a consumer with a
 * {@code client.rack} is sent to the replica in its rack and reads every committed record from that follower.
 */
class FetchFromFollowerIT {
    @TempDir
    Path dir;

    @Test
    void aConsumerReadsFromTheFollowerInItsRack() throws Exception {
        Map<String, String> all = Map.of("replica.selector.class",
                "org.apache.kafka.common.replica.RackAwareReplicaSelector");
        Map<Integer, Map<String, String>> racks = Map.of(1, Map.of("broker.rack", "r1"),
                2, Map.of("broker.rack", "r2"), 3, Map.of("broker.rack", "r3"));
        try (EmbeddedCluster cluster = EmbeddedCluster.start(dir, 3, all, racks)) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("near", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            }
            int leader = cluster.awaitLeader("near", 0);
            int follower = leader == 3 ? 2 : 3;
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (int i = 0; i < 100; i++) {
                    sent.add("v" + i);
                    producer.send(new ProducerRecord<>("near", 0, null, "v" + i));
                }
                producer.flush();
            }
            TopicPartition tp = new TopicPartition("near", 0);
            try (KafkaConsumer<String, String> consumer = cluster.consumer(Map.of(
                    ConsumerConfig.CLIENT_RACK_CONFIG, "r" + follower))) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<String> read = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                    return read.size() >= sent.size();
                });
                assertThat(read).containsExactlyElementsOf(sent);
                // the leader named the follower in the consumer's rack as its preferred read replica
                assertThat(preferredReadReplica(consumer)).isEqualTo(follower);
            }
        }
    }

    private static int preferredReadReplica(KafkaConsumer<?, ?> consumer) {
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals("preferred-read-replica")) {
                return ((Number) e.getValue().metricValue()).intValue();
            }
        }
        return -1;
    }
}
