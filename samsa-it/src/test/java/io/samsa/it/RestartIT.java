package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clean restart keeps every record, every topic id and the offsets where producing continues. */
class RestartIT {
    private static final Map<String, Integer> TOPICS = Map.of("restart-a", 3, "restart-b", 1, "restart-rolled", 2);

    @TempDir
    Path dir;

    @Test
    void everythingSurvivesACleanRestart() throws Exception {
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir)) {
            // Given three topics, one of them rolling a segment every MiB (Kafka 4's minimum)
            samsa.createTopic("restart-a", 3, Map.of());
            samsa.createTopic("restart-b", 1, Map.of());
            samsa.createTopic("restart-rolled", 2, Map.of("segment.bytes", "1048576"));
            Map<String, Uuid> idsBefore = topicIds(samsa);
            Map<TopicPartition, List<String>> expected = new HashMap<>();
            produce(samsa, expected, 0, 1_500);
            long segmentsBefore = segmentCount(samsa.logDir(), "restart-rolled-0");
            assertThat(segmentsBefore).as("segments of restart-rolled-0").isGreaterThanOrEqualTo(3);

            // When the broker stops cleanly and starts again on the same data
            samsa.restart();

            // Then every record reads back, the topic ids are unchanged and no segment went missing
            assertReadsBack(samsa, expected);
            assertThat(topicIds(samsa)).isEqualTo(idsBefore);
            assertThat(segmentCount(samsa.logDir(), "restart-rolled-0")).isGreaterThanOrEqualTo(segmentsBefore);

            // And new records continue at the end offsets of before
            produce(samsa, expected, 1_500, 300);
            assertReadsBack(samsa, expected);

            // And a second restart changes nothing either
            samsa.restart();
            assertReadsBack(samsa, expected);
            assertThat(topicIds(samsa)).isEqualTo(idsBefore);
        }
    }

    /** Sends {@code count} records over every partition of every topic and checks each lands at the next offset. */
    private static void produce(EmbeddedSamsa samsa, Map<TopicPartition, List<String>> expected, int from, int count)
            throws Exception {
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of("linger.ms", 5, "max.in.flight.requests.per.connection", 1))) {
            List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
            List<TopicPartition> targets = new ArrayList<>();
            List<Long> expectedOffsets = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                for (Map.Entry<String, Integer> topic : TOPICS.entrySet()) {
                    TopicPartition tp = new TopicPartition(topic.getKey(), i % topic.getValue());
                    String value = "v" + i + "-" + "x".repeat(3_000);
                    List<String> log = expected.computeIfAbsent(tp, k -> new ArrayList<>());
                    expectedOffsets.add((long) log.size());
                    log.add(value);
                    targets.add(tp);
                    sends.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), "k" + i, value)));
                }
            }
            for (int i = 0; i < sends.size(); i++) {
                RecordMetadata md = sends.get(i).get(30, TimeUnit.SECONDS);
                assertThat(md.offset()).as("offset of send %d to %s", i, targets.get(i)).isEqualTo(expectedOffsets.get(i));
            }
        }
    }

    private static void assertReadsBack(EmbeddedSamsa samsa, Map<TopicPartition, List<String>> expected) {
        try (KafkaConsumer<String, String> consumer = samsa.consumer(Map.of())) {
            Map<TopicPartition, List<ConsumerRecord<String, String>>> read =
                    LogReader.readAll(consumer, expected.keySet(), Duration.ofSeconds(60));
            for (TopicPartition tp : expected.keySet()) {
                List<ConsumerRecord<String, String>> records = read.get(tp);
                Diff.assertSameSequence(tp.toString(), records.stream().map(ConsumerRecord::value).toList(), expected.get(tp));
                for (int i = 0; i < records.size(); i++) {
                    assertThat(records.get(i).offset()).as("offset %d of %s", i, tp).isEqualTo(i);
                }
            }
        }
    }

    private static Map<String, Uuid> topicIds(EmbeddedSamsa samsa) throws Exception {
        try (Admin admin = samsa.admin()) {
            Map<String, TopicDescription> d = admin.describeTopics(TOPICS.keySet()).allTopicNames().get();
            Map<String, Uuid> ids = new HashMap<>();
            d.forEach((name, description) -> ids.put(name, description.topicId()));
            return ids;
        }
    }

    private static long segmentCount(Path logDir, String partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir.resolve(partitionDir))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }
}
