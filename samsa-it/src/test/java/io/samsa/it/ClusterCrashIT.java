package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster crashes: three {@code samsa server} processes are killed with {@code kill -9} right after an
 * {@code acks=all} producer got its acknowledgements, then started again; a consumer that writes nothing first must
 * read every acknowledged record, once, in order (the leaders' high watermarks come back with the followers' fetches,
 * not with a new write).
 */
class ClusterCrashIT {
    static final int PARTITIONS = 3;
    static final int RECORDS = 3_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordIsReadBackAfterEveryNodeWasKilled() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.startLoopback(dir, 3, Map.of())) {
            try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    admin.createTopics(List.of(new NewTopic("crash", PARTITIONS, (short) 3)
                            .configs(Map.of("min.insync.replicas", "2")))).all().get(10, TimeUnit.SECONDS);
                    return true;
                });
            }
            List<List<String>> acked = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                acked.add(new ArrayList<>());
            }
            try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000))) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    sent.add(producer.send(new ProducerRecord<>("crash", i % PARTITIONS, null, "r-" + i)));
                }
                for (int i = 0; i < RECORDS; i++) {
                    sent.get(i).get(120, TimeUnit.SECONDS);
                    acked.get(i % PARTITIONS).add("r-" + i);
                }
            }

            // every node at once, without a clean shutdown
            for (int id : cluster.nodeIds()) {
                cluster.kill(id);
            }
            cluster.startAll();

            // read back without writing anything first
            try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    TopicPartition tp = new TopicPartition("crash", p);
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                    List<String> read = new ArrayList<>();
                    int partition = p;
                    await("partition " + p + " read back").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                            .until(() -> {
                                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                                    read.add(r.value());
                                }
                                return read.size() >= acked.get(partition).size();
                            });
                    assertThat(read).as("partition %d", p).containsExactlyElementsOf(acked.get(p));
                }
            }
        }
    }
}
