package io.samsa.it.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.samsa.broker.SamsaBroker;
import io.samsa.it.EmbeddedSamsa;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full disk, for real: {@code log.dirs} on a 16 MiB tmpfs mounted by the test (as root; skipped otherwise), a real
 * Java producer ({@code acks=all}) until KAFKA_STORAGE_ERROR, space freed by deleting a topic or a file, more
 * records, a restart: every acknowledged record reads back, reads and other partitions were served throughout, the
 * {@code __consumer_offsets} shard loads once space returns, the failure is logged once per partition, and a
 * shutdown that could not flush says so (issue 7, part 2).
 */
class FullDiskIT {
    private static final String FULL = "full";
    private static final String OTHER = "other";
    private static final String BALLAST = "ballast";
    private static final String VALUE_PAD = "x".repeat(1_000);

    @TempDir
    Path dir;
    Path mount;
    final ListAppender<ILoggingEvent> failures = new ListAppender<>();
    final ListAppender<ILoggingEvent> coordinator = new ListAppender<>();

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = dir.resolve("tmpfs");
        Files.createDirectories(mount);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()) == 0,
                "mount -t tmpfs failed");
        failures.start();
        ((Logger) LoggerFactory.getLogger("io.samsa.storage.StorageFailures")).addAppender(failures);
        coordinator.start();
        ((Logger) LoggerFactory.getLogger("io.samsa.coordinator.runtime.CoordinatorRuntime")).addAppender(coordinator);
    }

    @AfterEach
    void unmount() throws Exception {
        ((Logger) LoggerFactory.getLogger("io.samsa.storage.StorageFailures")).detachAppender(failures);
        ((Logger) LoggerFactory.getLogger("io.samsa.coordinator.runtime.CoordinatorRuntime")).detachAppender(coordinator);
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private Map<String, String> brokerConfig() {
        return Map.of("metadata.log.dir", dir.resolve("metadata").toString(), // the quorum is not on the full disk
                "log.segment.bytes", "1048576", "offsets.topic.num.partitions", "1",
                "log.retention.check.interval.ms", "600000");
    }

    @Test
    void noAcknowledgedRecordIsLostWhenTheDiskFillsAndSpaceReturns() throws Exception {
        Map<Long, String> acked = new TreeMap<>();
        List<String> otherValues = new ArrayList<>();
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(mount, brokerConfig())) {
            samsa.createTopic(FULL, 1, Map.of());
            samsa.createTopic(OTHER, 1, Map.of());
            samsa.createTopic(BALLAST, 1, Map.of());
            try (KafkaProducer<String, String> producer = samsa.producer(producerConfig())) {
                for (int i = 0; i < 100; i++) {
                    otherValues.add("other-" + i);
                    producer.send(new ProducerRecord<>(OTHER, otherValues.get(i))).get();
                }
                // Given a disk a third full of another topic
                sendUntilFull(producer, BALLAST, 5_000, new TreeMap<>());
                // When a producer writes 1,000-byte records until the disk is full
                int refused = sendUntilFull(producer, FULL, Integer.MAX_VALUE, acked);
                assertThat(refused).as("records refused with KAFKA_STORAGE_ERROR").isPositive();
                assertThat(acked).hasSizeGreaterThan(1_000);

                // Then reads go on: the full partition up to its last acknowledged record, and the other partition
                assertThat(readAll(samsa, FULL)).isEqualTo(acked);
                assertThat(readAll(samsa, OTHER).values()).containsExactlyElementsOf(otherValues);
                // And a consumer group cannot be served while not even a page is left: __consumer_offsets fails to load
                Path filler = mount.resolve("filler");
                fill(filler);
                tryToUseGroup(samsa);
                assertThat(coordinator.list).filteredOn(e -> e.getLevel() == Level.ERROR)
                        .extracting(ILoggingEvent::getFormattedMessage)
                        .filteredOn(m -> m.startsWith("Could not load __consumer_offsets-0")).hasSize(1);
                Files.delete(filler);

                // When space returns (another topic deleted), the producer resumes
                try (Admin admin = samsa.admin()) {
                    admin.deleteTopics(List.of(BALLAST)).all().get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(samsa.logDir().resolve(BALLAST + "-0")));
                int refusedAfter = sendUntilFull(producer, FULL, 2_000, acked);
                assertThat(refusedAfter).isZero();
            }
            // And the consumer group's coordinator loads now that there is room
            commitGroupOffset(samsa, 42);
            assertThat(coordinator.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("Loaded __consumer_offsets-0") && m.endsWith("after failed attempts"));
            // And the failure was logged once for the partition, with its cause
            assertThat(failures.list).filteredOn(e -> e.getLevel() == Level.ERROR)
                    .filteredOn(e -> e.getFormattedMessage().contains("topicPartition=" + FULL + "-0"))
                    .hasSize(1).first().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("No space left on device");

            // When the broker restarts cleanly
            SamsaBroker before = samsa.broker();
            samsa.restart();
            assertThat(before.stoppedCleanly()).isTrue();

            // Then every acknowledged record reads back at its offset, and nothing else
            assertThat(readAll(samsa, FULL)).isEqualTo(acked);
            assertThat(readAll(samsa, OTHER).values()).containsExactlyElementsOf(otherValues);
            assertThat(committedOffset(samsa)).isEqualTo(42);
        }
    }

    @Test
    void aShutdownOnAFullDiskSaysItWasNotCleanAndTheNextStartRecoversEverything() throws Exception {
        Map<Long, String> acked = new TreeMap<>();
        Path filler = mount.resolve("filler");
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(mount, brokerConfig())) {
            samsa.createTopic(FULL, 1, Map.of());
            try (KafkaProducer<String, String> producer = samsa.producer(producerConfig())) {
                sendUntilFull(producer, FULL, 3_000, acked);
            }
            // Given a disk filled by a file the test places
            fill(filler);
            // When the broker stops
            samsa.broker().close();
            // Then it says the stop was not clean (the producer snapshot and checkpoints could not be written)
            assertThat(samsa.broker().stoppedCleanly()).isFalse();
            // When space returns and the broker starts again
            Files.delete(filler);
            samsa.restart();
            // Then every acknowledged record is there, read without writing first (issue 7, part 1: the high
            // watermark of a log that was not closed cleanly is restored to its log end offset)
            assertThat(readAll(samsa, FULL)).isEqualTo(acked);
        }
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
        }
        // a tmpfs rounds to pages: take the last page-sized holes too
        try (OutputStream out = Files.newOutputStream(filler.resolveSibling("filler-tail"))) {
            out.write(new byte[1]);
        } catch (IOException ignored) {
            // already full
        }
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    }

    /**
     * Sends up to {@code max} 1,000-byte records in chunks until one is refused with KAFKA_STORAGE_ERROR; records
     * every acknowledged one by offset.
     *
     * @return how many were refused
     */
    private static int sendUntilFull(KafkaProducer<String, String> producer, String topic, int max,
                                     Map<Long, String> acked) throws Exception {
        int refused = 0;
        int sent = 0;
        while (sent < max && refused == 0) {
            List<String> values = new ArrayList<>();
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 500 && sent < max; i++, sent++) {
                String value = topic + "-" + acked.size() + "-" + sent + "-" + VALUE_PAD;
                values.add(value);
                futures.add(producer.send(new ProducerRecord<>(topic, value)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    RecordMetadata metadata = futures.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(acked.put(metadata.offset(), values.get(i))).as("offset acknowledged twice").isNull();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(KafkaStorageException.class);
                    refused++;
                }
            }
        }
        return refused;
    }

    /** Every record of partition 0 of {@code topic} up to its end offset, by offset. */
    private static Map<Long, String> readAll(EmbeddedSamsa samsa, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<Long, String> read = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = samsa.consumer(Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.put(record.offset(), record.value());
                }
            }
            assertThat(consumer.position(tp)).as("position of " + tp).isEqualTo(end);
        }
        return read;
    }

    private static Map<String, Object> groupConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "full-disk-group");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }

    private static void tryToUseGroup(EmbeddedSamsa samsa) {
        try (KafkaConsumer<String, String> consumer = samsa.consumer(groupConfig())) {
            consumer.committed(java.util.Set.of(new TopicPartition(OTHER, 0)));
        } catch (RuntimeException expected) {
            // COORDINATOR_NOT_AVAILABLE / timeout while __consumer_offsets cannot be created or loaded
        }
    }

    private static void commitGroupOffset(EmbeddedSamsa samsa, long offset) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            try (KafkaConsumer<String, String> consumer = samsa.consumer(groupConfig())) {
                consumer.commitSync(Map.of(new TopicPartition(OTHER, 0), new OffsetAndMetadata(offset)));
            }
        });
    }

    private static long committedOffset(EmbeddedSamsa samsa) {
        Map<String, Object> config = new HashMap<>(groupConfig());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (KafkaConsumer<String, String> consumer = samsa.consumer(config)) {
            TopicPartition tp = new TopicPartition(OTHER, 0);
            OffsetAndMetadata committed = consumer.committed(java.util.Set.of(tp)).get(tp);
            return committed == null ? -1 : committed.offset();
        }
    }
}
