package io.samsa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code samsa perf produce}: sends {@code --records} values of {@code --record-size} bytes (no key) at
 * {@code --rate}, and measures each record's latency from just before {@code send()} to its acknowledgement
 * callback, as Kafka's {@code ProducerPerformance}. Throughput runs from the first send to the last
 * acknowledgement. Stops at the first failed send. {@code --warmup-records} are sent first and left out.
 */
@Command(name = "produce", description = "Send records as fast as asked; send→ack latency and throughput.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  samsa perf produce --topic perf --records 1000000 --record-size 1024",
            "  samsa perf produce --rate 20000 --acks all --compression zstd --json"})
final class PerfProduceCommand extends PerfRunCommand {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    PerfProducerOptions producerOptions;

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
        PerfTopic.partitions(client, perf, true, err);
        PerfPayload payload = new PerfPayload(perf.recordSize, 0);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerOptions.producer(client, perf))) {
            PerfStats stats = new PerfStats("send→ack", System.nanoTime());
            RateLimiter limiter = RateLimiter.of(perf.rate);
            try (ProgressReporter ignored = progress("produce", stats, err)) {
                long warmup = producerOptions.warmupRecords;
                for (long i = 0; i < perf.records && failure.get() == null; i++) {
                    limiter.acquire();
                    long sent = System.nanoTime();
                    if (i == warmup && warmup > 0) {
                        stats.start(sent);
                    }
                    producer.send(new ProducerRecord<>(perf.topic, payload.value()),
                            new Ack(sent, perf.recordSize, i >= warmup ? stats : null, failure));
                }
                producer.flush();
            }
            if (failure.get() != null) {
                producer.close(Duration.ZERO);
                throw failure.get();
            }
            producer.close(CLOSE_TIMEOUT);
            return new Outcome(stats.summary("produce", producerOptions.extra()), null);
        }
    }

    /**
     * Records one acknowledgement's latency (not for a warm-up record: {@code stats} null); keeps the first failure.
     * Runs on the producer's I/O thread.
     */
    private record Ack(long sentNanos, int size, PerfStats stats, AtomicReference<Exception> failure)
            implements Callback {
        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            long now = System.nanoTime();
            if (exception != null) {
                failure.compareAndSet(null, exception);
            } else if (stats != null) {
                stats.record((now - sentNanos) / 1000, size, now);
            }
        }
    }
}
