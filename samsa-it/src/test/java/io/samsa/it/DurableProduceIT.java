package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable mode ({@code log.flush.interval.messages=1} / topic {@code flush.messages=1}) with real producers: every
 * acknowledgement is sent after the group-commit fsync covering it. That the records survive kill -9 proves little
 * (the page cache survives a process crash), so the tests check what only an fsync moves: the recovery point, in
 * the {@code recovery-point-offset-checkpoint} file, reaches the log end offset while the broker runs, and stays at 0
 * for a topic that is not durable.
 */
class DurableProduceIT {
    @TempDir
    Path dir;

    @Test
    void brokerWideFlushIntervalOneFsyncsEveryAcknowledgedRecord() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of("log.flush.interval.messages", "1",
                "log.flush.offset.checkpoint.interval.ms", "200", "log.segment.bytes", "1048576"))) {
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic("durable", 2, (short) 1),
                        new NewTopic("lazy", 1, (short) 1).configs(Map.of("flush.messages",
                                Long.toString(Long.MAX_VALUE))))).all().get();
            }
            // Given an idempotent acks=all producer writing 3,000 records (several segments) to a durable topic
            Map<TopicPartition, Long> ends = new HashMap<>();
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1))) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < 3_000; i++) {
                    acks.add(producer.send(new ProducerRecord<>("durable", i % 2, "k" + i, "v".repeat(500) + i)));
                }
                for (int i = 0; i < 100; i++) {
                    acks.add(producer.send(new ProducerRecord<>("lazy", 0, "k" + i, "v" + i)));
                }
                // Then every send is acknowledged
                for (Future<RecordMetadata> ack : acks) {
                    RecordMetadata md = ack.get(60, TimeUnit.SECONDS);
                    ends.merge(new TopicPartition(md.topic(), md.partition()), md.offset() + 1, Math::max);
                }
            }
            assertThat(ends.get(new TopicPartition("durable", 0)) + ends.get(new TopicPartition("durable", 1)))
                    .isEqualTo(3_000);

            // And the recovery points (moved only by fsyncs) reach the log end, checkpointed while the broker runs;
            // the topic with flush.messages=Long.MAX_VALUE was never fsynced
            Path logs = dir.resolve("logs");
            await("recovery points checkpointed at the log end").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Long> recovery = checkpoint(logs.resolve("recovery-point-offset-checkpoint"));
                assertThat(recovery).containsEntry("durable 0", ends.get(new TopicPartition("durable", 0)))
                        .containsEntry("durable 1", ends.get(new TopicPartition("durable", 1)))
                        .containsEntry("lazy 0", 0L);
                assertThat(checkpoint(logs.resolve("replication-offset-checkpoint")))
                        .containsEntry("durable 0", ends.get(new TopicPartition("durable", 0)));
            });

            // When the broker is killed and restarted, every acknowledged record is read back
            broker.kill();
            broker.startProcess();
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
                Map<TopicPartition, List<ConsumerRecord<String, String>>> read =
                        LogReader.readAll(consumer, LogReader.partitions("durable", 2), Duration.ofSeconds(60));
                assertThat(read.values().stream().mapToInt(List::size).sum()).isEqualTo(3_000);
            }
        }
    }

    @Test
    void topicFlushMessagesOneFsyncsWithAcksOneAndAcksZero() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir, Map.of("log.flush.offset.checkpoint.interval.ms", "100"))) {
            samsa.createTopic("durable", 1, Map.of("flush.messages", "1"));
            samsa.createTopic("plain", 1, Map.of());
            // Given a broker in the default (page cache) mode and a topic with flush.messages=1
            for (String acks : List.of("1", "0")) {
                try (KafkaProducer<String, String> producer = samsa.producer(Map.of(ProducerConfig.ACKS_CONFIG, acks,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 1))) {
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        sent.add(producer.send(new ProducerRecord<>("durable", "k" + i, "v" + i)));
                        sent.add(producer.send(new ProducerRecord<>("plain", "k" + i, "v" + i)));
                    }
                    for (Future<RecordMetadata> f : sent) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                }
            }
            // Then acks=1 and acks=0 records of the durable topic were fsynced (as Kafka, whose append fsyncs before
            // it returns whatever the acks), the other topic's were not
            Path recovery = samsa.logDir().resolve("recovery-point-offset-checkpoint");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(checkpoint(recovery))
                    .containsEntry("durable 0", 1_000L).containsEntry("plain 0", 0L));
        }
    }

    @Test
    void aFailedFsyncAnswersKafkaStorageErrorAndNothingIsAcknowledged() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir)) {
            samsa.createTopic("durable", 1, Map.of("flush.messages", "1"));
            Path partition = samsa.logDir().resolve("durable-0");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(partition.resolve(
                    "00000000000000000000.log")));
            // Given a partition directory gone from under the open log: its group-commit fsync of the directory fails
            Path moved = samsa.logDir().resolve("durable-0.moved");
            Files.move(partition, moved);
            try (KafkaProducer<String, String> producer = samsa.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.RETRIES_CONFIG, 0, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
                // When records are produced, Then the producer gets KAFKA_STORAGE_ERROR, not an acknowledgement
                for (int i = 0; i < 2; i++) {
                    Future<RecordMetadata> sent = producer.send(new ProducerRecord<>("durable", "k", "v" + i));
                    assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(KafkaStorageException.class);
                }
            } finally {
                Files.move(moved, partition);
            }
        }
    }

    /** {@code "topic partition" -> offset} of one of Kafka's offset checkpoint files (empty while absent). */
    private static Map<String, Long> checkpoint(Path file) throws Exception {
        Map<String, Long> entries = new HashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            int space = line.lastIndexOf(' ');
            entries.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        return entries;
    }
}
