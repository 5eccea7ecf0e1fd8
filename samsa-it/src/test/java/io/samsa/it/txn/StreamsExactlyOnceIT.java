package io.samsa.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Kafka Streams 4.3.1 application with {@code processing.guarantee=exactly_once_v2} ({@link WordCountApp}, a
 * child JVM) counts the words of <i>Alice's Adventures in Wonderland</i>; it is killed with SIGKILL while the second
 * half of the text streams in (when it has written but not committed counts of the
 * fourth of its ten chunks), and restarted. Read with read_committed, the last count of every word on the output
 * topic is the count computed here from the text, and no count ever went past it (what at-least-once would show after
 * the kill). Runs against Apache Kafka with {@code -Dsamsa.it.reference=HOST:PORT} ({@link TxnBroker}).
 */
class StreamsExactlyOnceIT {
    private static final String INPUT = "eos-lines";
    private static final String OUTPUT = "eos-counts";

    @TempDir
    static Path dir;
    static TxnBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TxnBroker.start(dir.resolve("broker"), Map.of(
                "transaction.state.log.num.partitions", "4",
                "offsets.topic.num.partitions", "4",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static List<String> text() throws IOException {
        try (InputStream in = StreamsExactlyOnceIT.class.getResourceAsStream("/texts/alice-in-wonderland.txt")) {
            assertThat(in).as("texts/alice-in-wonderland.txt on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
    }

    @Test
    void wordCountsAreExactAfterAKillMidStream() throws Exception {
        // Given the text's lines, and the expected count of every word
        List<String> lines = text();
        Map<String, Long> expected = new TreeMap<>();
        lines.forEach(l -> WordCountApp.words(l).forEach(w -> expected.merge(w, 1L, Long::sum)));
        assertThat(expected).hasSizeGreaterThan(2000);
        broker.createTopic(INPUT, 2);
        broker.createTopic(OUTPUT, 2);
        int half = lines.size() / 2;

        try (KafkaProducer<String, String> producer = lineProducer();
             KafkaConsumer<String, Long> counts = countConsumer()) {
            Map<String, Long> latest = new HashMap<>();
            Map<String, Long> highest = new HashMap<>();
            produce(producer, lines, 0, half);

            // When the application counts the first half, then the second streams in chunk by chunk...
            Process app = startApp("first");
            int chunk = (lines.size() - half) / 10 + 1;
            int next = half;
            try {
                await("first committed counts").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(1))
                        .until(() -> read(counts, latest, highest) > 0);
                for (int i = 0; i < 3; i++) {
                    produce(producer, lines, next, next + chunk);
                    next += chunk;
                    await("committed counts of chunk " + i).atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(1)).until(() -> read(counts, latest, highest) > 0);
                }
                // ...it is killed with SIGKILL once it has written (not yet committed) counts of the fourth chunk...
                long written = highWatermarks(counts);
                produce(producer, lines, next, next + chunk);
                next += chunk;
                await("uncommitted counts of chunk 3").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(1)).until(() -> highWatermarks(counts) > written);
            } finally {
                app.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
            }
            produce(producer, lines, next, lines.size());
            read(counts, latest, highest);
            assertThat(latest).as("killed before the end of the text").isNotEqualTo(expected);

            // ...and restarted on the same state directory
            Process again = startApp("second");
            try {
                await("exact counts of every word").atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(1)).until(() -> {
                            assertThat(again.isAlive()).as(ChildJvm.read(dir.resolve("app-second.log"))).isTrue();
                            read(counts, latest, highest);
                            highest.forEach((word, count) -> assertThat(count).as("count of '%s'", word)
                                    .isLessThanOrEqualTo(expected.getOrDefault(word, 0L)));
                            return latest.equals(expected);
                        });
            } finally {
                again.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }

            // Then the last count of each word is the exact count, and none ever went past it
            assertThat(latest).isEqualTo(expected);
            assertThat(highest).isEqualTo(expected);
        }
    }

    private static Process startApp(String name) throws IOException {
        return ChildJvm.builder(dir.resolve("app-" + name + ".log"), List.of(), WordCountApp.class.getName(),
                List.of(broker.bootstrapServers(), "eos-word-count", dir.resolve("streams-state").toString(), INPUT,
                        OUTPUT)).start();
    }

    private static KafkaProducer<String, String> lineProducer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static void produce(KafkaProducer<String, String> producer, List<String> lines, int from, int to) {
        for (int i = from; i < Math.min(to, lines.size()); i++) {
            producer.send(new ProducerRecord<>(INPUT, Integer.toString(i), lines.get(i)));
        }
        producer.flush();
    }

    private static KafkaConsumer<String, Long> countConsumer() {
        return countConsumer("read_committed");
    }

    private static KafkaConsumer<String, Long> countConsumer(String isolation) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(p);
        consumer.assign(List.of(new TopicPartition(OUTPUT, 0), new TopicPartition(OUTPUT, 1)));
        return consumer;
    }

    /** The sum of the output partitions' high watermarks: what the application wrote, committed or not. */
    private static long highWatermarks(KafkaConsumer<String, Long> consumer) {
        try (KafkaConsumer<String, Long> raw = countConsumer("read_uncommitted")) {
            return raw.endOffsets(consumer.assignment()).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Polls committed counts once into {@code latest} and {@code highest}; returns how many records came. */
    private static int read(KafkaConsumer<String, Long> consumer, Map<String, Long> latest, Map<String, Long> highest) {
        int n = 0;
        for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
            latest.put(r.key(), r.value());
            highest.merge(r.key(), r.value(), Math::max);
            n++;
        }
        return n;
    }
}
