package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Records go in through a real producer and come back identical through a real consumer. */
class ProduceConsumeIT {
    private static final int RECORDS = 2_000;
    private static final int PARTITIONS = 3;

    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    /** What a consumer should see for one record; header values in Base64 ("null" for a null value). */
    record Seen(int partition, long offset, String key, String value, long timestamp, List<String> headers) {
        static Seen of(ConsumerRecord<String, String> r) {
            List<String> headers = new ArrayList<>();
            for (Header h : r.headers()) {
                headers.add(h.key() + "=" + (h.value() == null ? "null" : Base64.getEncoder().encodeToString(h.value())));
            }
            return new Seen(r.partition(), r.offset(), r.key(), r.value(), r.timestamp(), headers);
        }
    }

    static Stream<Arguments> acksAndCompression() {
        return Stream.of("all", "1", "0").flatMap(acks -> Stream.of("none", "gzip", "snappy", "lz4", "zstd")
                .map(compression -> Arguments.of(acks, compression)));
    }

    @ParameterizedTest(name = "acks={0} compression={1}")
    @MethodSource("acksAndCompression")
    void everyRecordComesBackIdenticalInOrder(String acks, String compression) throws Exception {
        // Given a topic with three partitions
        String topic = "round-trip-" + (acks.equals("all") ? "all" : acks) + "-" + compression;
        samsa.get().createTopic(topic, PARTITIONS, Map.of());
        long baseTimestamp = System.currentTimeMillis() - 3_600_000;

        // When a producer sends keyed records with headers and explicit timestamps
        Map<Integer, List<Seen>> expected = produce(topic, acks, compression, baseTimestamp, false);

        // Then a consumer reads each partition back in order, offsets contiguous from 0, every field identical
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            List<TopicPartition> tps = LogReader.partitions(topic, PARTITIONS);
            Map<TopicPartition, Long> expectedEnds = new HashMap<>();
            tps.forEach(tp -> expectedEnds.put(tp, (long) expected.get(tp.partition()).size()));
            // (acks=0: the producer's flush does not wait for the append)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(consumer.endOffsets(tps)).isEqualTo(expectedEnds));
            Map<TopicPartition, List<ConsumerRecord<String, String>>> read =
                    LogReader.readAll(consumer, tps, Duration.ofSeconds(60));
            for (int p = 0; p < PARTITIONS; p++) {
                List<Seen> seen = read.get(new TopicPartition(topic, p)).stream().map(Seen::of).toList();
                Diff.assertSameSequence("partition " + p, seen, expected.get(p));
            }
        }
    }

    @Test
    void seeksAndOffsetQueriesAgreeWithWhatWasProduced() throws Exception {
        // Given 2,000 records with increasing timestamps over three partitions
        String topic = "offset-queries";
        samsa.get().createTopic(topic, PARTITIONS, Map.of());
        long base = System.currentTimeMillis() - 3_600_000;
        // (one request in flight: this test is about offset lookups, the parameterized one about pipelining)
        Map<Integer, List<Seen>> expected = produce(topic, "all", "none", base, true);
        List<TopicPartition> tps = LogReader.partitions(topic, PARTITIONS);

        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            consumer.assign(tps);
            // Then the beginning is 0 and the end is the record count of each partition
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            for (TopicPartition tp : tps) {
                assertThat(begin.get(tp)).as("beginning of %s", tp).isZero();
                assertThat(end.get(tp)).as("end of %s", tp).isEqualTo(expected.get(tp.partition()).size());
            }

            // And a seek to the middle reads from exactly there
            TopicPartition p1 = tps.get(1);
            consumer.assign(List.of(p1));
            consumer.seek(p1, 300);
            Seen first = pollOne(consumer);
            assertThat(first).isEqualTo(expected.get(1).get(300));

            // And offsetsForTimes finds the first record at or after a timestamp
            for (TopicPartition tp : tps) {
                List<Seen> records = expected.get(tp.partition());
                Seen mid = records.get(records.size() / 2);
                Map<TopicPartition, OffsetAndTimestamp> exact = consumer.offsetsForTimes(Map.of(tp, mid.timestamp()));
                assertThat(exact.get(tp)).as("exact time in %s", tp)
                        .extracting(OffsetAndTimestamp::offset, OffsetAndTimestamp::timestamp)
                        .containsExactly(mid.offset(), mid.timestamp());
                Seen next = records.get(records.size() / 2 + 1);
                Map<TopicPartition, OffsetAndTimestamp> between = consumer.offsetsForTimes(Map.of(tp, mid.timestamp() + 1));
                assertThat(between.get(tp)).as("time between records in %s", tp)
                        .extracting(OffsetAndTimestamp::offset, OffsetAndTimestamp::timestamp)
                        .containsExactly(next.offset(), next.timestamp());
                Map<TopicPartition, OffsetAndTimestamp> beforeAll = consumer.offsetsForTimes(Map.of(tp, 0L));
                assertThat(beforeAll.get(tp).offset()).as("time before all records in %s", tp).isZero();
                Map<TopicPartition, OffsetAndTimestamp> afterAll =
                        consumer.offsetsForTimes(Map.of(tp, records.get(records.size() - 1).timestamp() + 1));
                assertThat(afterAll.get(tp)).as("time after all records in %s", tp).isNull();
            }
        }
    }

    @Test
    void longPollReturnsARecordProducedWhileWaiting() throws Exception {
        // Given a consumer positioned at the end of an empty partition, waiting up to 5 s per fetch
        String topic = "long-poll";
        samsa.get().createTopic(topic, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (KafkaConsumer<String, String> consumer =
                     samsa.get().consumer(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000));
             KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0); // (no ListOffsets: the empty-partition lookups have their own test)

            // When a record is produced one second later
            ScheduledFuture<?> send = later.schedule(
                    () -> producer.send(new ProducerRecord<>(topic, "k", "late")).get(), 1, TimeUnit.SECONDS);

            // Then the poll already in progress returns it
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(20));
            assertThat(records.records(tp)).extracting(ConsumerRecord::value).containsExactly("late");
            send.get(10, TimeUnit.SECONDS);
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void anEmptyPartitionBeginsAndEndsAtZero() throws Exception {
        String topic = "empty";
        samsa.get().createTopic(topic, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                     samsa.get().consumer(Map.of(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            consumer.assign(List.of(tp));
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 0L);
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.position(tp)).isZero();
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isZero();
        }
    }

    private static Seen pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return Seen.of(records.iterator().next());
            }
        }
        throw new AssertionError("no record within 30 s");
    }

    /**
     * Sends {@link #RECORDS} records round-robin over the partitions; returns what each partition should hold.
     * Idempotent acks=all producers keep the client default of 5 requests in flight (order must still hold, KIP-98);
     * acks=0 pipelines by nature; acks=1 without idempotence uses 1 so that a retry cannot reorder.
     */
    private static Map<Integer, List<Seen>> produce(String topic, String acks, String compression, long baseTimestamp,
                                                    boolean oneInFlight) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
        if (!acks.equals("all") || oneInFlight) {
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1); // keep send order on retries
        }
        Map<Integer, List<Seen>> expected = new HashMap<>();
        try (KafkaProducer<String, String> producer = samsa.get().producer(config)) {
            for (int i = 0; i < RECORDS; i++) {
                int partition = i % PARTITIONS;
                String value = i % 97 == 0 ? null : ("value-" + i + "-").repeat(1 + i % 13);
                long timestamp = baseTimestamp + i;
                List<Header> headers = List.of(
                        new RecordHeader("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
                        new RecordHeader("bin", new byte[] {0, (byte) i, (byte) 0xff, (byte) (i >> 8)}),
                        new RecordHeader("none", null));
                producer.send(new ProducerRecord<>(topic, partition, timestamp, "key-" + i, value, headers));
                List<Seen> list = expected.computeIfAbsent(partition, k -> new ArrayList<>());
                List<String> headerText = headers.stream()
                        .map(h -> h.key() + "=" + (h.value() == null ? "null" : Base64.getEncoder().encodeToString(h.value())))
                        .toList();
                list.add(new Seen(partition, list.size(), "key-" + i, value, timestamp, headerText));
            }
            producer.flush();
        }
        return expected;
    }
}
