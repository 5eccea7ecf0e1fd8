package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.samsa.cli.SamsaCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code samsa perf produce|consume|e2e} against a live broker, in-process, with the numbers checked against what
 * the broker holds (log end offsets, committed offsets) through the Admin client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerfCliIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "2"));

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            assertThat(out.lines()).as(err).hasSize(1);
            return JSON.readTree(out);
        }
    }

    static Run samsa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void produce_writes_exactly_the_records_asked_for_into_a_topic_it_creates() throws Exception {
        // When
        Run run = samsa("perf", "produce", "--topic", "perf", "--records", "2000", "--record-size", "100",
                "--partitions", "3", "--acks", "all", "--compression", "lz4", "--json", "--progress", "off");

        // Then
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("mode").asText()).isEqualTo("produce");
        assertThat(json.get("records").asLong()).isEqualTo(2000);
        assertThat(json.get("bytes").asLong()).isEqualTo(200_000);
        assertThat(json.get("latency_samples").asLong()).isEqualTo(2000);
        assertOrderedLatencies(json);
        try (Admin admin = samsa.get().admin()) {
            assertThat(admin.describeTopics(List.of("perf")).allTopicNames().get().get("perf").partitions())
                    .hasSize(3);
            Map<TopicPartition, OffsetSpec> latest = List.of(0, 1, 2).stream()
                    .collect(Collectors.toMap(p -> new TopicPartition("perf", p), p -> OffsetSpec.latest()));
            long end = admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset()).sum();
            assertThat(end).isEqualTo(2000);
        }
    }

    @Test
    @Order(2)
    void consume_reads_them_all_and_a_group_commits_its_position() throws Exception {
        Run plain = samsa("perf", "consume", "--topic", "perf", "--records", "2000", "--json", "--progress", "off");
        Run grouped = samsa("perf", "consume", "--topic", "perf", "--records", "2000", "--group", "perf-readers",
                "--json", "--progress", "off");

        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.json().get("records").asLong()).isEqualTo(2000);
        assertThat(plain.json().get("bytes").asLong()).isEqualTo(200_000);
        assertThat(plain.json().get("fetch_latency_avg_ms").isNumber()).isTrue();
        assertThat(grouped.code()).as(grouped.err()).isZero();
        assertThat(grouped.json().get("records").asLong()).isEqualTo(2000);
        try (Admin admin = samsa.get().admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("perf-readers")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(2000);
        }
    }

    @Test
    @Order(3)
    void consume_short_of_its_records_prints_the_summary_then_fails_in_one_line() {
        Run run = samsa("perf", "consume", "--topic", "perf", "--records", "3000", "--timeout-ms", "1000",
                "--progress", "off");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("consume: 2000 records (200000 bytes)");
        assertThat(run.err()).isEqualTo("samsa: read 2000 of 3000 records: none for 1000 ms"
                + System.lineSeparator());
    }

    @Test
    void e2e_reports_ordered_non_negative_latencies_with_a_histogram_and_progress_lines() throws Exception {
        Run run = samsa("perf", "e2e", "--topic", "perf-e2e", "--records", "700", "--warmup-records", "100",
                "--rate", "500", "--record-size", "64", "--linger-ms", "0", "--progress", "lines",
                "--interval-ms", "200", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("records").asLong()).isEqualTo(600);
        assertThat(json.get("warmup_records").asLong()).isEqualTo(100);
        assertThat(json.get("latency").asText()).isEqualTo("end-to-end");
        assertThat(json.get("latency_min_ms").asDouble()).isGreaterThanOrEqualTo(0);
        assertOrderedLatencies(json);
        long histogramTotal = 0;
        for (JsonNode bucket : json.get("histogram")) {
            histogramTotal += bucket.get("count").asLong();
        }
        assertThat(histogramTotal).isEqualTo(600);
        assertThat(run.err().lines()).isNotEmpty().allMatch(l -> l.startsWith("e2e: ") && l.contains("records/s"));
    }

    @Test
    void the_text_summary_has_percentiles_and_histogram_bars() {
        Run run = samsa("perf", "produce", "--topic", "perf-text", "--records", "300", "--record-size", "10",
                "--progress", "off");

        assertThat(run.code()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("produce: 300 records (3000 bytes) in ");
        assertThat(lines.get(1)).startsWith("send→ack latency ms: avg ").contains(", p99.9 ").endsWith("(300 samples)");
        assertThat(lines.subList(2, lines.size())).isNotEmpty().allMatch(l -> l.matches(" *[0-9.]+ - +[0-9.]+ ms \\|#* *\\| +\\d+ +[0-9.]+%"));
    }

    @Test
    void warmup_records_are_written_but_left_out_of_the_numbers() throws Exception {
        Run run = samsa("perf", "produce", "--topic", "perf-warmup", "--records", "500", "--warmup-records", "200",
                "--record-size", "10", "--partitions", "1", "--json", "--progress", "off");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.json().get("records").asLong()).isEqualTo(300);
        assertThat(run.json().get("latency_samples").asLong()).isEqualTo(300);
        try (Admin admin = samsa.get().admin()) {
            assertThat(admin.listOffsets(Map.of(new TopicPartition("perf-warmup", 0), OffsetSpec.latest())).all().get()
                    .values().iterator().next().offset()).isEqualTo(500);
        }
    }

    @Test
    void consuming_a_missing_topic_is_one_line() {
        Run run = samsa("perf", "consume", "--topic", "no-such-topic", "--records", "10");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samsa: Topic 'no-such-topic' does not exist." + System.lineSeparator());
    }

    private static void assertOrderedLatencies(JsonNode json) {
        double p50 = json.get("latency_p50_ms").asDouble();
        double p95 = json.get("latency_p95_ms").asDouble();
        double p99 = json.get("latency_p99_ms").asDouble();
        double p999 = json.get("latency_p999_ms").asDouble();
        double max = json.get("latency_max_ms").asDouble();
        assertThat(json.get("latency_min_ms").asDouble()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(p50);
        assertThat(p50).isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo(max);
    }
}
