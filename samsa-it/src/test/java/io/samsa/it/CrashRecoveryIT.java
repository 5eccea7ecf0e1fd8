package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under SIGKILL: a broker in its own JVM is killed while an idempotent acks=all producer writes, then
 * started again on the same data, twice. Every acknowledged record must be read back at its acknowledged offset,
 * no value twice, offsets contiguous; the producer keeps running across the crashes, so its retries after the
 * restart must be deduplicated by the recovered producer state.
 */
class CrashRecoveryIT {
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 3;
    private static final int ACKS_PER_ROUND = 5_000;

    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveKillNine() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of("log.segment.bytes", "1048576"))) {
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            DeliveryChecker checker = new DeliveryChecker();
            try (Writer writer = new Writer(broker.bootstrapServers(), checker)) {
                writer.start();
                for (int round = 1; round <= 2; round++) {
                    // Given a producer that has had some thousands of records acknowledged
                    int target = round * ACKS_PER_ROUND;
                    await("acks before crash " + round).atMost(Duration.ofSeconds(90))
                            .until(() -> checker.ackCount() >= target);

                    // When the broker is killed with SIGKILL mid-write and started again on the same data
                    broker.kill();
                    broker.startProcess();

                    // Then the producer gets going again
                    int afterRestart = checker.ackCount() + 1_000;
                    await("acks after restart " + round).atMost(Duration.ofSeconds(90))
                            .until(() -> checker.ackCount() >= afterRestart);
                }
            }

            // And every acknowledged record is where it was acknowledged, once, with no gap
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
                Map<TopicPartition, List<ConsumerRecord<String, String>>> read =
                        LogReader.readAll(consumer, LogReader.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(60));
                assertThat(checker.problems(read, 20)).as("delivery problems; broker log:\n%s", tail(broker.output()))
                        .isEmpty();
                assertThat(read.values().stream().mapToInt(List::size).sum()).isGreaterThanOrEqualTo(checker.ackCount());
            }
        }
    }

    private static String tail(String text) {
        return text.length() <= 6_000 ? text : text.substring(text.length() - 6_000);
    }

    /** Sends unique sequential values from its own thread until closed; records acknowledgements in the checker. */
    private static final class Writer implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final DeliveryChecker checker;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong failures = new AtomicLong();
        private final Thread thread;

        Writer(String bootstrap, DeliveryChecker checker) {
            this.checker = checker;
            this.producer = Clients.producer(bootstrap, Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                    ProducerConfig.LINGER_MS_CONFIG, 2,
                    ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                    ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, 4 * 1024 * 1024));
            this.thread = new Thread(this::run, "crash-writer");
        }

        void start() {
            thread.start();
        }

        private void run() {
            long n = 0;
            while (running.get()) {
                long order = n++;
                String value = "value-" + order;
                int partition = (int) (order % PARTITIONS);
                try {
                    producer.send(new ProducerRecord<>(TOPIC, partition, null, value), (md, e) -> {
                        if (e == null) {
                            checker.acked(new TopicPartition(TOPIC, md.partition()), md.offset(), value, order);
                        } else {
                            failures.incrementAndGet();
                        }
                    });
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            producer.flush();
            producer.close(Duration.ofSeconds(30));
        }
    }
}
