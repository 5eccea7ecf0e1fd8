package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, bug 1, in the shape users hit it: a broker with default settings takes many small acks=all idempotent
 * batches into one large segment of an auto-created topic, is killed with SIGKILL mid-write and restarted, and then
 * is only <em>read</em>: no record is produced after the restart, because one more append used to make everything
 * visible again and so hid the bug (the high watermark came back from its stale checkpoint).
 */
class CrashVisibilityIT {
    private static final String TOPIC = "crash-visibility";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int ACKS_BEFORE_CRASH = 60_000;
    private static final int COMMITTED_AFTER = 10_000;
    private static final String GROUP = "resumers";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordIsReadableAfterKillNineWithoutAnotherWrite() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of())) {
            DeliveryChecker checker = new DeliveryChecker();
            long committed;
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 2,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
                // Given a producer writing small records as fast as it can (topic auto-created, one segment)
                AtomicBoolean running = new AtomicBoolean(true);
                Thread writer = new Thread(() -> {
                    long n = 0;
                    while (running.get()) {
                        long order = n++;
                        String value = Long.toString(order);
                        try {
                            producer.send(new ProducerRecord<>(TOPIC, 0, null, value), (md, e) -> {
                                if (e == null) {
                                    checker.acked(TP, md.offset(), value, order);
                                }
                            });
                        } catch (RuntimeException e) {
                            return; // the producer was closed after the crash
                        }
                    }
                }, "crash-visibility-writer");
                writer.start();
                await("first acks").atMost(Duration.ofSeconds(90)).until(() -> checker.ackCount() >= COMMITTED_AFTER);

                // and a group that committed an offset while the writes went on
                committed = checker.ackCount() / 2;
                try (KafkaConsumer<String, String> group = Clients.consumer(broker.bootstrapServers(),
                        Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP))) {
                    group.assign(List.of(TP));
                    group.commitSync(Map.of(TP, new OffsetAndMetadata(committed)));
                }
                await("acks before the crash").atMost(Duration.ofSeconds(120))
                        .until(() -> checker.ackCount() >= ACKS_BEFORE_CRASH);

                // When the broker is killed with SIGKILL while the producer still writes
                broker.kill();
                running.set(false);
                producer.close(Duration.ZERO);
                writer.join(30_000);
            }
            int acked = checker.ackCount();
            broker.startProcess();

            // Then, reading only: ListOffsets latest covers every acknowledged record and earliest is 0 ...
            long lastAcked = checker.maxAckedOffset(TP);
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                ListOffsetsResult.ListOffsetsResultInfo latest =
                        admin.listOffsets(Map.of(TP, OffsetSpec.latest())).partitionResult(TP).get();
                ListOffsetsResult.ListOffsetsResultInfo earliest =
                        admin.listOffsets(Map.of(TP, OffsetSpec.earliest())).partitionResult(TP).get();
                assertThat(latest.offset()).as("latest offset after the restart (acked %d records)", acked)
                        .isGreaterThan(lastAcked);
                assertThat(earliest.offset()).isZero();
            }

            // ... librdkafka sees the same end offset and reads every record from the beginning ...
            Kcat.requireInstalled();
            Kcat.Result query = Kcat.run(dir, new byte[0], List.of("-b", broker.bootstrapServers(), "-Q", "-t",
                    TOPIC + ":0:-1"));
            assertThat(query.exitCode()).as(query.stderr()).isZero();
            Matcher m = Pattern.compile("\\[0\\]\\s+offset\\s+(\\d+)").matcher(query.stdout());
            assertThat(m.find()).as(query.stdout()).isTrue();
            long kcatEnd = Long.parseLong(m.group(1));
            assertThat(kcatEnd).isGreaterThan(lastAcked);
            Kcat.Result consumed = Kcat.run(dir, new byte[0], List.of("-b", broker.bootstrapServers(), "-C", "-t",
                    TOPIC, "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%o\\n"));
            assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
            String[] offsets = consumed.stdout().strip().split("\n");
            assertThat(offsets).hasSize((int) kcatEnd);
            assertThat(offsets[offsets.length - 1]).isEqualTo(Long.toString(kcatEnd - 1));

            // ... a fresh Java consumer finds every acknowledged record at its offset, once ...
            try (KafkaConsumer<String, String> fresh = Clients.consumer(broker.bootstrapServers(), Map.of())) {
                Map<TopicPartition, List<ConsumerRecord<String, String>>> read =
                        LogReader.readAll(fresh, List.of(TP), Duration.ofSeconds(60));
                assertThat(checker.problems(read, 20)).as("delivery problems; broker log:\n%s",
                        tail(broker.output())).isEmpty();
            }

            // ... and the group resumes at its committed offset (no OFFSET_OUT_OF_RANGE, no reset).
            try (KafkaConsumer<String, String> group = Clients.consumer(broker.bootstrapServers(), Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
                group.assign(List.of(TP));
                ConsumerRecords<String, String> first = ConsumerRecords.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (first.isEmpty() && System.nanoTime() < deadline) {
                    first = group.poll(Duration.ofMillis(200));
                }
                assertThat(first.isEmpty()).as("the group read nothing").isFalse();
                assertThat(first.iterator().next().offset()).isEqualTo(committed);
            }
        }
    }

    private static String tail(String text) {
        return text.length() <= 6_000 ? text : text.substring(text.length() - 6_000);
    }
}
