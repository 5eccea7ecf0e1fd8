package io.samsa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code samsa perf e2e}: a producer thread sends {@code --records} values stamped with a run id and
 * {@link System#nanoTime()} (first 16 bytes); a consumer in the same process, positioned at the end of every
 * partition before the first send, records {@code now - stamp} for each record of this run. Latency therefore
 * includes batching ({@code linger.ms}), replication ({@code acks}, high watermark) and the fetch. Records of other
 * writers on the topic are read but ignored. {@code --warmup-records} are sent first (stamped with {@code runId + 1})
 * and left out of the numbers.
 */
@Command(name = "e2e", description = "Produce and consume at once; latency from send to receipt.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  samsa perf e2e --records 20000 --rate 2000 --linger-ms 0",
            "  samsa perf e2e --records 5000 --rate 500 --acks all --json"})
final class PerfE2eCommand extends PerfRunCommand {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    PerfProducerOptions producerOptions;

    @Override
    int minRecordSize() {
        return PerfPayload.STAMP_BYTES;
    }

    @Override
    long warmupRecords() {
        return producerOptions.warmupRecords;
    }

    @Override
    void validateMode() {
        producerOptions.validate(spec, perf);
    }

    @Override
    Outcome run(PrintWriter err) throws Exception {
        int partitions = PerfTopic.partitions(client, perf, true, err);
        long runId = ThreadLocalRandom.current().nextLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
                Producer<byte[], byte[]> producer = new KafkaProducer<>(producerOptions.producer(client, perf))) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(perf.topic, p));
            }
            consumer.assign(all);
            consumer.seekToEnd(all);
            all.forEach(consumer::position); // resolved before the first send: only this run's records follow
            PerfStats stats = new PerfStats("end-to-end", System.nanoTime());
            Thread sender = Thread.ofPlatform().name("samsa-perf-e2e-producer").daemon().start(
                    () -> send(producer, runId, stats, failure));
            long received = 0;
            long idleNanos = TimeUnit.MILLISECONDS.toNanos(perf.timeoutMs);
            long lastRecord = System.nanoTime();
            try (ProgressReporter ignored = progress("e2e", stats, err)) {
                while (received < perf.records && failure.get() == null
                        && System.nanoTime() - lastRecord < idleNanos) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                        long now = System.nanoTime();
                        long stamp = PerfPayload.stampOf(r.value(), runId);
                        if (stamp != Long.MIN_VALUE) {
                            stats.record((now - stamp) / 1000, r.serializedValueSize(), now);
                            received++;
                            lastRecord = now;
                        } else if (PerfPayload.stampOf(r.value(), runId + 1) != Long.MIN_VALUE) {
                            received++; // a warm-up record
                            lastRecord = now;
                        }
                    }
                }
            } finally {
                sender.interrupt();
                sender.join(CLOSE_TIMEOUT.toMillis());
                // bounded, unlike the close() of try-with-resources (then a no-op)
                producer.close(failure.get() == null ? CLOSE_TIMEOUT : Duration.ZERO);
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            PerfSummary summary = stats.summary("e2e", producerOptions.extra());
            String shortfall = received < perf.records
                    ? "received " + received + " of " + perf.records + " records: none for " + perf.timeoutMs + " ms"
                    : null;
            return new Outcome(summary, shortfall);
        }
    }

    /** Sends on its own thread; warm-up records carry {@code runId + 1}, and the clock starts after them. */
    private void send(Producer<byte[], byte[]> producer, long runId, PerfStats stats,
            AtomicReference<Exception> failure) {
        long warmup = producerOptions.warmupRecords;
        PerfPayload payload = new PerfPayload(perf.recordSize, 0);
        RateLimiter limiter = RateLimiter.of(perf.rate);
        try {
            for (long i = 0; i < perf.records && failure.get() == null && !Thread.currentThread().isInterrupted();
                    i++) {
                limiter.acquire();
                long now = System.nanoTime();
                if (i == warmup && warmup > 0) {
                    stats.start(now);
                }
                producer.send(new ProducerRecord<>(perf.topic, payload.stamped(i < warmup ? runId + 1 : runId, now)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt(); // the run ended (timeout or failure)
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private Properties consumerProperties() {
        Properties p = client.consumer();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "samsa-perf-e2e-consumer");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putAll(perf.properties);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
