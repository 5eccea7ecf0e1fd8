package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PerfReportTest {
    private static PerfSummary summary(Map<String, Double> extra) {
        return new PerfSummary("produce", 2000, 2_048_000, 2_000_000_000L,
                new PerfSummary.Latency("send→ack", 2000, 0.5, 2.25, 2.0, 4.0, 6.0, 9.5, 10.0),
                List.of(new PerfSummary.Bucket(0.512, 1.024, 100), new PerfSummary.Bucket(1.024, 2.048, 1500),
                        new PerfSummary.Bucket(2.048, 4.096, 0), new PerfSummary.Bucket(4.096, 8.192, 399),
                        new PerfSummary.Bucket(8.192, 16.384, 1)),
                extra);
    }

    @Test
    void the_text_summary_has_throughput_in_kafkas_mb_and_every_percentile() {
        String text = PerfReport.text(summary(Map.of()));

        assertThat(text.lines().toList().get(0))
                .isEqualTo("produce: 2000 records (2048000 bytes) in 2.00 s: 1000.0 records/s, 0.98 MB/s");
        assertThat(text.lines().toList().get(1)).isEqualTo(
                "send→ack latency ms: avg 2.25, p50 2.00, p95 4.00, p99 6.00, p99.9 9.50, max 10.00 (2000 samples)");
    }

    @Test
    void the_histogram_scales_bars_to_the_fullest_bucket_and_shows_a_sliver_for_a_tiny_one() {
        List<String> bars = PerfReport.histogram(summary(Map.of())).lines().toList();

        assertThat(bars).hasSize(5);
        assertThat(bars.get(1)).isEqualTo("    1.024 -     2.048 ms |" + "#".repeat(40) + "| 1500  75.0%");
        assertThat(bars.get(2)).contains("|" + " ".repeat(40) + "|    0   0.0%");
        assertThat(bars.get(4)).contains("|#" + " ".repeat(39) + "|    1   0.1%");
    }

    @Test
    void json_is_one_object_with_all_numbers_and_the_extras() {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("fetch_latency_avg_ms", 1.5);
        extra.put("first_record_ms", Double.NaN);

        String json = PerfReport.json(summary(extra));

        assertThat(json).startsWith("{\"mode\":\"produce\",\"records\":2000,\"bytes\":2048000,\"elapsed_ms\":2000,"
                + "\"records_per_sec\":1000,\"mb_per_sec\":0.977,\"latency\":\"send→ack\",\"latency_samples\":2000,"
                + "\"latency_min_ms\":0.5,\"latency_avg_ms\":2.25,\"latency_p50_ms\":2,\"latency_p95_ms\":4,"
                + "\"latency_p99_ms\":6,\"latency_p999_ms\":9.5,\"latency_max_ms\":10,"
                + "\"fetch_latency_avg_ms\":1.5,\"first_record_ms\":null,\"histogram\":[{\"from_ms\":0.512,");
        assertThat(json).endsWith("{\"from_ms\":8.192,\"to_ms\":16.384,\"count\":1}]}");
        assertThat(json).doesNotContain("\n");
    }

    @Test
    void the_progress_line_shows_the_share_done_the_current_rate_and_the_latency_so_far() {
        PerfStats.Progress p = new PerfStats.Progress(12000, 4000, 3.906, 12000, 1.2, 3.4, 9.8);

        assertThat(PerfReport.progressLine("e2e", p, 100_000, false)).isEqualTo("e2e: 12000/100000 records (12%), "
                + "4000.0 records/s, 3.91 MB/s, latency ms p50 1.20 p99 3.40 max 9.80");
        assertThat(PerfReport.progressLine("e2e", p, 100_000, true))
                .startsWith("e2e: [##..................] 12000/100000 records (12%), ");
        assertThat(PerfReport.progressLine("consume", new PerfStats.Progress(0, 0, 0, 0, 0, 0, 0), 10, true))
                .isEqualTo("consume: [....................] 0/10 records (0%), 0.0 records/s, 0.00 MB/s");
        assertThat(PerfReport.progressLine("produce", new PerfStats.Progress(10, 0, 0, 0, 0, 0, 0), 10, true))
                .startsWith("produce: [####################] 10/10 records (100%)");
    }

    @Test
    void buckets_are_powers_of_two_microseconds_from_the_lowest_to_the_highest_sample() {
        Histogram h = new Histogram(3);
        h.recordValue(3);      // [2, 4) µs
        h.recordValue(700);    // [512, 1024) µs
        h.recordValue(1500);   // [1024, 2048) µs

        List<PerfSummary.Bucket> buckets = PerfStats.buckets(h);

        assertThat(buckets).first().isEqualTo(new PerfSummary.Bucket(0.002, 0.004, 1));
        assertThat(buckets).last().isEqualTo(new PerfSummary.Bucket(1.024, 2.048, 1));
        assertThat(buckets).hasSize(10);
        assertThat(buckets.stream().mapToLong(PerfSummary.Bucket::count).sum()).isEqualTo(3);
    }

    @Test
    void a_wide_range_keeps_at_most_sixteen_buckets_the_lowest_from_zero() {
        Histogram h = new Histogram(3);
        h.recordValue(0);
        h.recordValue(5_000_000); // 5 s

        List<PerfSummary.Bucket> buckets = PerfStats.buckets(h);

        assertThat(buckets).hasSize(16);
        assertThat(buckets.get(0).fromMs()).isZero();
        assertThat(buckets.get(0).count()).isEqualTo(1);
        assertThat(buckets.get(15).count()).isEqualTo(1);
    }

    @Test
    void stats_from_several_threads_add_up_and_percentiles_are_ordered() throws Exception {
        PerfStats stats = new PerfStats("send→ack", 0);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= 1000; i++) {
                    stats.record(i, 100, 1_000_000_000L);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }

        PerfSummary s = stats.summary("produce", Map.of());

        assertThat(s.records()).isEqualTo(4000);
        assertThat(s.bytes()).isEqualTo(400_000);
        assertThat(s.recordsPerSecond()).isEqualTo(4000.0);
        assertThat(s.latency().count()).isEqualTo(4000);
        assertThat(s.latency().p50Ms()).isBetween(0.49, 0.51);
        assertThat(s.latency().p50Ms()).isLessThanOrEqualTo(s.latency().p99Ms());
        assertThat(s.latency().p99Ms()).isLessThanOrEqualTo(s.latency().maxMs());
        assertThat(s.latency().maxMs()).isEqualTo(1.0);
    }
}
