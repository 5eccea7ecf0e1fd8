package io.samsa.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.samsa.cli.SamsaCommand;
import io.samsa.it.SamsaExtension;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The log lifecycle on a live broker with real clients: retention under a reading consumer, DeleteRecords through
 * the Admin client and the CLI, compaction of a {@code cleanup.policy=compact} topic, and {@code samsa dump-log}.
 */
class LogLifecycleIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("log.retention.check.interval.ms", "200",
            "log.cleaner.backoff.ms", "200", "log.cleaner.dedupe.buffer.size", "1048576"));

    static Map<String, String> smallSegments(Map<String, String> more) {
        Map<String, String> configs = new HashMap<>(Map.of("internal.segment.bytes", "4096"));
        configs.putAll(more);
        return configs;
    }

    /** A producer whose batches fit the topics' 4 KiB segments (a larger batch is RECORD_LIST_TOO_LARGE). */
    static KafkaProducer<String, String> producer() {
        return samsa.get().producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.BATCH_SIZE_CONFIG, 1024));
    }

    static void produce(String topic, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i)));
            }
            for (var f : sent) {
                f.get();
            }
        }
    }

    static long beginning(TopicPartition tp) {
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            return consumer.beginningOffsets(List.of(tp)).get(tp);
        }
    }

    @Test
    void retentionDeletesOldSegmentsWhileAConsumerReadsNeverCorruptData() throws Exception {
        // Given a topic with ~4 KiB segments, retention.ms = 1.5 s, and a producer writing "value-<offset>"
        String topic = "retained";
        TopicPartition tp = new TopicPartition(topic, 0);
        samsa.get().createTopic(topic, 1, smallSegments(Map.of("retention.ms", "1500", "file.delete.delay.ms", "500")));
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicLong produced = new AtomicLong();
        Thread producer = new Thread(() -> {
            try (KafkaProducer<String, String> p = producer()) {
                long i = 0;
                while (producing.get()) {
                    p.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i)).get();
                    produced.set(++i);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();

        // When a slow consumer reads from the beginning while retention deletes segments under it
        long lastOffset = -1;
        long jumps = 0;
        long received = 0;
        long deadline = System.currentTimeMillis() + 6_000;
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    // Then every record is intact: its value names its own offset, offsets only grow
                    assertThat(r.value()).isEqualTo("value-" + r.offset());
                    assertThat(r.key()).isEqualTo("k" + r.offset());
                    assertThat(r.offset()).isGreaterThan(lastOffset);
                    if (lastOffset >= 0 && r.offset() != lastOffset + 1) {
                        jumps++; // OFFSET_OUT_OF_RANGE, reset to the new earliest offset
                    }
                    lastOffset = r.offset();
                    received++;
                }
            }
        } finally {
            producing.set(false);
            producer.join(10_000);
        }
        assertThat(received).isPositive();
        // and old segments are gone, the log start offset moved, and fetches below it reset to the new start
        await().atMost(Duration.ofSeconds(10)).until(() -> beginning(tp) > 0);
        long start = beginning(tp);
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
            assertThat(records.getFirst().offset()).isGreaterThanOrEqualTo(start);
            assertThat(records.getFirst().value()).isEqualTo("value-" + records.getFirst().offset());
        }
        System.out.printf("retention IT: produced=%d received=%d jumps=%d logStart=%d%n", produced.get(), received,
                jumps, start);
    }

    @Test
    void deleteRecordsMovesTheLowWatermarkAndRejectsOffsetsPastTheHighWatermark() throws Exception {
        String topic = "delete-records";
        TopicPartition tp = new TopicPartition(topic, 0);
        samsa.get().createTopic(topic, 1, smallSegments(Map.of()));
        produce(topic, 0, 1000);
        Path partDir = samsa.get().logDir().resolve(topic + "-0");
        long segmentsBefore = segmentCount(partDir);

        try (Admin admin = samsa.get().admin()) {
            // past the high watermark: OffsetOutOfRangeException, nothing changes
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(1001)))
                    .lowWatermarks().get(tp).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(OffsetOutOfRangeException.class);
            assertThat(beginning(tp)).isZero();

            // below it: the low watermark is the new log start offset
            long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(800))).lowWatermarks().get(tp)
                    .get().lowWatermark();
            assertThat(low).isEqualTo(800);
        }
        assertThat(beginning(tp)).isEqualTo(800);
        assertThat(segmentCount(partDir)).isLessThan(segmentsBefore);
        // a fetch below it is out of range and resets (auto.offset.reset=earliest) to it
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 10);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= 100;
            });
            assertThat(records.getFirst().offset()).isEqualTo(800);
            assertThat(records.getFirst().value()).isEqualTo("value-800");
        }
        // the samsa CLI does the same
        Run run = samsa("delete-records", "--topic", topic, "--partition", "0", "--offset", "850");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("low watermark 850");
        Run tooFar = samsa("delete-records", "--topic", topic, "--partition", "0", "--offset", "5000");
        assertThat(tooFar.exitCode()).isEqualTo(1);
        assertThat(tooFar.err().strip()).startsWith("samsa: Partition delete-records-0: ")
                .contains("not within the range").doesNotContain("\n");
        // and the start offset survives a restart
        samsa.get().restart();
        assertThat(beginning(tp)).isEqualTo(850);
    }

    @Test
    void aCompactedTopicEndsWithOneValuePerKey() throws Exception {
        // Given a compacted topic with small segments rolled every 300 ms and a low dirty ratio
        String topic = "compacted";
        TopicPartition tp = new TopicPartition(topic, 0);
        samsa.get().createTopic(topic, 1, smallSegments(Map.of("cleanup.policy", "compact",
                "min.cleanable.dirty.ratio", "0.01", "segment.ms", "300", "delete.retention.ms", "100")));
        Map<String, String> latest = new HashMap<>();
        try (KafkaProducer<String, String> producer = producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < 50; k++) {
                    String value = k % 10 == 0 && round == 19 ? null : "r" + round + "-k" + k;
                    sent.add(producer.send(new ProducerRecord<>(topic, 0, "key-" + k, value)));
                    if (value == null) {
                        latest.remove("key-" + k);
                    } else {
                        latest.put("key-" + k, value);
                    }
                }
            }
            for (var f : sent) {
                f.get();
            }
            // roll the active segment (segment.ms) so that every record above becomes cleanable
            Thread.sleep(400);
            producer.send(new ProducerRecord<>(topic, 0, "marker", "end")).get();
        }

        // When the cleaner has run, Then a consumer from the beginning sees exactly the latest value of each key
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> all = readAll(tp);
            Map<String, String> seen = new HashMap<>();
            List<String> keys = new ArrayList<>();
            for (ConsumerRecord<String, String> r : all) {
                if (!r.key().equals("marker")) {
                    keys.add(r.key());
                    seen.put(r.key(), r.value());
                }
            }
            seen.values().removeIf(v -> v == null);
            assertThat(seen).isEqualTo(latest);
            assertThat(keys).as("one record per key, tombstones gone").hasSize(latest.size())
                    .doesNotHaveDuplicates();
        });
        assertThat(Files.readString(samsa.get().logDir().resolve("cleaner-offset-checkpoint"))).contains(topic + " 0 ");

        // and samsa dump-log reads a cleaned segment offline
        Path segment;
        try (Stream<Path> files = Files.list(samsa.get().logDir().resolve(topic + "-0"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
        Run dump = samsaOffline("dump-log", "--print-records", segment.toString());
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        long recordLines = dump.out().lines().filter(l -> l.startsWith("| offset: ")).count();
        long fromCounts = dump.out().lines().filter(l -> l.startsWith("baseOffset: "))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".* count: (\\d+) .*", "$1"))).sum();
        assertThat(recordLines).isPositive().isEqualTo(fromCounts);
        assertThat(dump.out()).contains("isvalid: true").doesNotContain("isvalid: false")
                .contains("Summary: ").contains("key: key-");
        Run missing = samsaOffline("dump-log", segment.resolveSibling("nope.log").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("samsa: ").contains("no such file").doesNotContain("\n");
    }

    private static List<ConsumerRecord<String, String>> readAll(TopicPartition tp) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.currentTimeMillis() + 10_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static long segmentCount(Path partDir) throws Exception {
        try (Stream<Path> files = Files.list(partDir)) {
            return files.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run samsa(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server");
        all.add(samsa.get().bootstrapServers());
        return samsaOffline(all.toArray(String[]::new));
    }

    static Run samsaOffline(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
