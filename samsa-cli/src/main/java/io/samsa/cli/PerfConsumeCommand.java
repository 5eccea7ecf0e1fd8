package io.samsa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa perf consume}: reads {@code --records} records of the topic from the beginning (as Kafka's
 * {@code ConsumerPerformance}), with {@code --group} as a group member (subscribe) or else by assigning every
 * partition. Throughput runs from the start of the first poll that returned records to the last record; the
 * latency samples are the {@code poll()} calls that returned records (how long the application waited for data),
 * and the consumer's own fetch request latency ({@code fetch-latency-avg}/{@code -max}) is reported beside them.
 */
@Command(name = "consume", description = "Read records as fast as possible; throughput and fetch latency.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
            "  samsa perf consume --topic perf --records 1000000",
            "  samsa perf consume --topic perf --records 1000000 --group readers"})
final class PerfConsumeCommand extends PerfRunCommand {
    private static final Duration POLL = Duration.ofMillis(100);

    @Option(names = "--group", paramLabel = "G", description = "Consume as a member of group G (default: no group).")
    String group;

    @Override
    Outcome run(PrintWriter err) throws Exception {
        int partitions = PerfTopic.partitions(client, perf, false, err);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            long begin = System.nanoTime();
            if (group != null) {
                consumer.subscribe(List.of(perf.topic));
            } else {
                List<TopicPartition> all = new java.util.ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    all.add(new TopicPartition(perf.topic, p));
                }
                consumer.assign(all);
                consumer.seekToBeginning(all);
            }
            PerfStats stats = new PerfStats("poll", begin);
            long firstRecordNanos = -1;
            long idleNanos = TimeUnit.MILLISECONDS.toNanos(perf.timeoutMs);
            long lastRecord = System.nanoTime();
            long count = 0;
            try (ProgressReporter ignored = progress("consume", stats, err)) {
                while (count < perf.records && System.nanoTime() - lastRecord < idleNanos) {
                    long before = System.nanoTime();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    long now = System.nanoTime();
                    if (records.isEmpty()) {
                        continue;
                    }
                    if (firstRecordNanos < 0) {
                        firstRecordNanos = now;
                        stats.start(before);
                    }
                    stats.latency((now - before) / 1000);
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        stats.count(Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize()), now);
                        if (++count >= perf.records) {
                            break;
                        }
                    }
                    lastRecord = now;
                }
            }
            Map<String, Double> extra = new LinkedHashMap<>();
            extra.put("first_record_ms", firstRecordNanos < 0 ? Double.NaN : (firstRecordNanos - begin) / 1e6);
            extra.put("fetch_latency_avg_ms", metric(consumer, "fetch-latency-avg"));
            extra.put("fetch_latency_max_ms", metric(consumer, "fetch-latency-max"));
            extra.put("fetch_rate_per_sec", metric(consumer, "fetch-rate"));
            PerfSummary summary = stats.summary("consume", extra);
            String shortfall = count < perf.records
                    ? "read " + count + " of " + perf.records + " records: none for " + perf.timeoutMs + " ms"
                    : null;
            return new Outcome(summary, shortfall);
        }
    }

    Properties consumerProperties() {
        Properties p = client.consumer();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "samsa-perf-consumer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group == null) {
            p.remove(ConsumerConfig.GROUP_ID_CONFIG);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        } else {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.putAll(perf.properties);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** A {@code consumer-fetch-manager-metrics} value without tags, NaN when absent or not a number. */
    private static double metric(KafkaConsumer<?, ?> consumer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals(name) && n.group().equals("consumer-fetch-manager-metrics")
                    && !n.tags().containsKey("topic") && e.getValue().metricValue() instanceof Double d) {
                return d;
            }
        }
        return Double.NaN;
    }
}
