package io.samsa.it.configs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.it.SamsaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic configs really act on appends, including after a dynamic change and across a restart. */
class ConfigEnforcementIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    private static void set(String topic, String key, String value) throws Exception {
        try (Admin admin = samsa.get().admin()) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.<ConfigResource, Collection<AlterConfigOp>>of(resource, List.of(
                    new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
            });
        }
        return out;
    }

    @Test
    void maxMessageBytesRefusesLargerBatchesAndADynamicChangeAppliesAtOnce() throws Exception {
        samsa.get().createTopic("small-batches", 1, Map.of("max.message.bytes", "2000"));
        String big = "x".repeat(5000);
        try (KafkaProducer<String, String> producer =
                     samsa.get().producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small-batches", big)).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RecordTooLargeException.class);

            set("small-batches", "max.message.bytes", "100000");

            assertThat(producer.send(new ProducerRecord<>("small-batches", big)).get().offset()).isZero();
        }
    }

    @Test
    void logAppendTimeStampsRecordsWithTheBrokerClock() throws Exception {
        samsa.get().createTopic("append-time", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            written = producer.send(new ProducerRecord<>("append-time", 0, 1_000L, "k", "v")).get();
        }

        assertThat(written.timestamp()).isBetween(before, System.currentTimeMillis());
        ConsumerRecord<String, String> read = readAll("append-time", 1).getFirst();
        assertThat(read.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(read.timestamp()).isEqualTo(written.timestamp());
    }

    @Test
    void topicCompressionRecompressesBatchesAndSurvivesARestart() throws Exception {
        samsa.get().createTopic("recompressed", 1, Map.of("compression.type", "gzip"));
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 0))) {
            producer.send(new ProducerRecord<>("recompressed", "k1", "first")).get();
            set("recompressed", "compression.type", "uncompressed");
            producer.send(new ProducerRecord<>("recompressed", "k2", "second")).get();
            set("recompressed", "compression.type", "producer");
            producer.send(new ProducerRecord<>("recompressed", "k3", "third")).get();
        }

        assertThat(Tools.storedCodecs(samsa.get().logDir(), "recompressed", 0)).containsExactly("gzip", "none", "lz4");
        assertThat(readAll("recompressed", 3)).extracting(ConsumerRecord::value)
                .containsExactly("first", "second", "third");

        set("recompressed", "compression.type", "zstd");
        samsa.get().restart();
        try (KafkaProducer<String, String> producer =
                     samsa.get().producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            producer.send(new ProducerRecord<>("recompressed", "k4", "after restart")).get();
        }
        assertThat(Tools.storedCodecs(samsa.get().logDir(), "recompressed", 0)).last().isEqualTo("zstd");
        try (Admin admin = samsa.get().admin()) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "recompressed");
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get("compression.type").value()).isEqualTo("zstd");
        }
    }

    @Test
    void segmentMsChangedAtRunTimeRollsTheNextAppend() throws Exception {
        samsa.get().createTopic("rolled", 1, Map.of());
        try (KafkaProducer<String, String> producer =
                     samsa.get().producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            producer.send(new ProducerRecord<>("rolled", "a")).get();
            set("rolled", "segment.ms", "1");
            Thread.sleep(20); // the active segment must be older than segment.ms
            producer.send(new ProducerRecord<>("rolled", "b")).get();
        }
        assertThat(Tools.segmentCount(samsa.get().logDir(), "rolled", 0)).isEqualTo(2);
    }
}
