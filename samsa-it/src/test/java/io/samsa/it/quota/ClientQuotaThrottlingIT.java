package io.samsa.it.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.it.SamsaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client quotas as a user sees them, with real Java clients: a producer and a consumer over their byte rates are
 * slowed to the quota (the throughput measured over 14 s after the first quota window is within 20 % of it), with throttle times reported to the client and no errors; a client over its controller mutation
 * rate gets THROTTLING_QUOTA_EXCEEDED from CreateTopics (v6+, strict).
 *
 * <p>Rates are measured against the configured quota, not against the machine's speed: the clients can go far faster
 * than the quotas chosen here even on a loaded 2-core machine.
 */
class ClientQuotaThrottlingIT {
    /**
     * Two 1-s samples ({@code quota.window.num=2}) instead of Kafka's default eleven: with N samples a fresh sensor
     * (and, for a client that always has more to send, every N seconds) lets a burst of (N - 1) seconds' worth
     * through, as Kafka's sampled {@code Rate} does; two samples keep that burst at one second so that a 14-s
     * measurement is within 20 % of the quota whatever its phase. The throttling is otherwise Kafka's default model.
     */
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("quota.window.num", "2"));

    /** 200 kB/s: far below what the clients reach unthrottled. */
    private static final double BYTE_RATE = 200_000;
    private static final int VALUE_BYTES = 1000;
    /** The first seconds include the burst allowance of a fresh sensor; measure 14 s after it. */
    private static final long MEASURE_FROM_MS = 4_000;
    private static final long MEASURE_TO_MS = 18_000;

    static Admin admin;

    @BeforeAll
    static void start() {
        admin = samsa.get().admin();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    private static void setClientQuota(String clientId, String key, double value) throws Exception {
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                List.of(new ClientQuotaAlteration.Op(key, value))))).all().get();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.describeClientQuotas(ClientQuotaFilter.all())
                .entities().get().getOrDefault(entity, Map.of()).get(key) != null);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().group().equals(group) && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).max().orElse(0);
    }

    @Test
    void aProducerOverItsByteRateIsSlowedToItWithoutErrors() throws Exception {
        // Given producer_byte_rate=200000 for client id quota-producer
        setClientQuota("quota-producer", "producer_byte_rate", BYTE_RATE);
        samsa.get().createTopic("quota-produce", 1, Map.of());

        // When it produces as fast as it can for 18 s
        AtomicLong acked = new AtomicLong();
        AtomicLong ackedInWindow = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        double throttleMax;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = samsa.get().byteProducer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "quota-producer",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000))) {
            byte[] value = new byte[VALUE_BYTES];
            while (elapsedMs(start) < MEASURE_TO_MS) {
                producer.send(new ProducerRecord<>("quota-produce", value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                        return;
                    }
                    acked.incrementAndGet();
                    long at = elapsedMs(start);
                    if (at >= MEASURE_FROM_MS && at < MEASURE_TO_MS) {
                        ackedInWindow.addAndGet(VALUE_BYTES);
                    }
                });
                sent++;
            }
            producer.flush();
            throttleMax = metric(producer.metrics(), "producer-metrics", "produce-throttle-time-max");
        }

        // Then its throughput is the quota (within 20 %), the broker told it to wait, and nothing failed or was lost
        double rate = ackedInWindow.get() * 1000.0 / (MEASURE_TO_MS - MEASURE_FROM_MS);
        System.out.printf("producer: %.0f B/s against producer_byte_rate=%.0f (%.2fx), %d records%n", rate,
                BYTE_RATE, rate / BYTE_RATE, sent);
        assertThat(failure.get()).isNull();
        assertThat(rate).isBetween(BYTE_RATE * 0.8, BYTE_RATE * 1.2);
        assertThat(throttleMax).isPositive();
        assertThat(acked.get()).isEqualTo(sent);
        assertThat(readAll("quota-produce", "reader", sent)).isEqualTo(sent);
    }

    @Test
    void aConsumerOverItsByteRateIsSlowedToIt() throws Exception {
        // Given 6 MB in a topic and consumer_byte_rate=200000 for client id quota-consumer
        samsa.get().createTopic("quota-fetch", 1, Map.of());
        int records = 6_000;
        try (KafkaProducer<byte[], byte[]> producer = samsa.get().byteProducer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "loader", ProducerConfig.LINGER_MS_CONFIG, 20))) {
            byte[] value = new byte[VALUE_BYTES];
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("quota-fetch", value));
            }
            producer.flush();
        }
        setClientQuota("quota-consumer", "consumer_byte_rate", BYTE_RATE);

        // When it consumes from the start for 18 s
        long consumedInWindow = 0;
        long consumed = 0;
        double throttleMax;
        long start = System.nanoTime();
        // (fetches of at most 32 kB: a throttled fetch is answered empty and fetched again, as in Kafka, so smaller
        // fetches follow the quota more closely)
        try (KafkaConsumer<byte[], byte[]> consumer = samsa.get().byteConsumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "quota-consumer",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024))) {
            consumer.assign(List.of(new TopicPartition("quota-fetch", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("quota-fetch", 0)));
            while (elapsedMs(start) < MEASURE_TO_MS && consumed < records) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    consumed++;
                    long at = elapsedMs(start);
                    if (at >= MEASURE_FROM_MS && at < MEASURE_TO_MS) {
                        consumedInWindow += r.value().length;
                    }
                }
            }
            throttleMax = metric(consumer.metrics(), "consumer-fetch-manager-metrics", "fetch-throttle-time-max");
        }

        // Then its throughput is the quota (within 20 %) and the broker told it to wait
        double rate = consumedInWindow * 1000.0 / (MEASURE_TO_MS - MEASURE_FROM_MS);
        System.out.printf("consumer: %.0f B/s against consumer_byte_rate=%.0f (%.2fx)%n", rate, BYTE_RATE,
                rate / BYTE_RATE);
        assertThat(consumed).as("the topic holds more than the quota lets through in the test").isLessThan(records);
        assertThat(rate).isBetween(BYTE_RATE * 0.8, BYTE_RATE * 1.2);
        assertThat(throttleMax).isPositive();
    }

    @Test
    void createTopicsOverTheControllerMutationRateIsRefusedWithThrottlingQuotaExceeded() throws Exception {
        // Given controller_mutation_rate=1 for client id quota-admin: a burst of 11 partitions, then 1 per second
        setClientQuota("quota-admin", "controller_mutation_rate", 1);
        try (Admin limited = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                samsa.get().bootstrapServers(), AdminClientConfig.CLIENT_ID_CONFIG, "quota-admin"))) {
            CreateTopicsOptions noRetry = new CreateTopicsOptions().retryOnQuotaViolation(false);
            // When it creates a 20-partition topic (the bucket had tokens: accepted, and now 9 below zero)
            limited.createTopics(List.of(new NewTopic("mutation-1", 20, (short) 1)), noRetry).all().get();
            // Then the next topic is refused (CreateTopics v7, strict since v6) with the time to wait
            var refused = limited.createTopics(List.of(new NewTopic("mutation-2", 1, (short) 1)), noRetry).all();
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ThrottlingQuotaExceededException.class)
                    .satisfies(e -> assertThat(((ThrottlingQuotaExceededException) e).throttleTimeMs())
                            .isBetween(1, 9_000));
            assertThat(admin.listTopics().names().get()).contains("mutation-1").doesNotContain("mutation-2");
        }
        // and another client id is not limited
        admin.createTopics(List.of(new NewTopic("mutation-3", 20, (short) 1))).all().get();
    }

    @Test
    void createTopicsIsStrictFromV6AndOnlyThrottledBefore() throws Exception {
        // Given controller_mutation_rate=1 for client id raw-admin, and its bucket emptied by a 20-partition topic
        setClientQuota("raw-admin", "controller_mutation_rate", 1);
        String host = "127.0.0.1";
        int port = samsa.get().broker().port();
        CreateTopicsResponse first = RawCreateTopics.create(host, port, "raw-admin", (short) 6, "raw-1", 20);
        assertThat(first.data().topics().find("raw-1").errorCode()).isEqualTo(Errors.NONE.code());

        // When CreateTopics v6 asks for one more partition: refused, with the time to wait
        CreateTopicsResponse strict = RawCreateTopics.create(host, port, "raw-admin", (short) 6, "raw-2", 1);
        assertThat(strict.data().topics().find("raw-2").errorCode())
                .isEqualTo(Errors.THROTTLING_QUOTA_EXCEEDED.code());
        assertThat(strict.data().topics().find("raw-2").errorMessage())
                .isEqualTo("The throttling quota has been exceeded.");
        assertThat(strict.throttleTimeMs()).isPositive();

        // When CreateTopics v5 does the same: created, and only throttled
        CreateTopicsResponse permissive = RawCreateTopics.create(host, port, "raw-admin", (short) 5, "raw-3", 1);
        assertThat(permissive.data().topics().find("raw-3").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(permissive.throttleTimeMs()).isPositive();
        assertThat(admin.listTopics().names().get()).contains("raw-1", "raw-3").doesNotContain("raw-2");
    }

    private static long readAll(String topic, String clientId, long expected) {
        List<Long> offsets = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = samsa.get().byteConsumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, clientId))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> offsets.add(r.offset()));
                return offsets.size() >= expected;
            });
        }
        return offsets.size();
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
