package io.samsa.it.txn;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Transactional producers and complete reads of a topic under either isolation level, for the transaction tests. */
public final class Txn {
    /** {@code isolation.level}. */
    public enum Isolation {
        READ_COMMITTED("read_committed"), READ_UNCOMMITTED("read_uncommitted");

        final String config;

        Isolation(String config) {
            this.config = config;
        }
    }

    private Txn() {
    }

    /** A string producer with {@code transactional.id} (not yet initialised) and {@code extra} settings. */
    public static KafkaProducer<String, String> producer(String bootstrap, String transactionalId, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    /** A string consumer with {@code extra} settings (group, isolation level), reset to earliest, no auto commit. */
    static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    /**
     * Every record of {@code topic} a consumer with {@code isolation} sees from the beginning up to the end offset
     * the broker answers for that isolation level (the last stable offset for read_committed, the high watermark
     * otherwise), partition by partition in offset order.
     */
    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, Isolation isolation) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.config))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, List<ConsumerRecord<String, String>>> read = new HashMap<>();
            await("reading " + topic + " " + isolation.config + " up to " + end).atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> read
                                .computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                                .add(r));
                        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                    });
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            partitions.forEach(tp -> all.addAll(read.getOrDefault(tp, List.of())));
            return all;
        }
    }

    /** The values of {@link #readAll}. */
    public static List<String> values(String bootstrap, String topic, Isolation isolation) {
        return readAll(bootstrap, topic, isolation).stream().map(ConsumerRecord::value).toList();
    }
}
