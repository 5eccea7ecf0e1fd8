package io.samsa.cli;

import java.util.Locale;
import java.util.Map;

/**
 * Pure formatting of {@code samsa perf} output: the progress line, the text summary with its latency histogram,
 * and the {@code --json} object. Numbers use a dot as decimal separator whatever the locale; MB = 2^20 bytes, as
 * Kafka's {@code ProducerPerformance} and {@code ConsumerPerformance}.
 */
final class PerfReport {
    /** Width of the longest histogram bar, in characters. */
    static final int BAR_WIDTH = 40;

    private PerfReport() {
    }

    /** Width of the progress bar drawn in place on a terminal, in characters. */
    static final int PROGRESS_BAR_WIDTH = 20;

    /**
     * The live line, e.g. {@code produce: 12000/100000 records (12%), 4000.0 records/s, 3.91 MB/s, latency ms p50 1.20
     * p99 3.40 max 9.80}: the rate over the last interval, the latency percentiles of the whole run so far; with
     * {@code bar}, a {@code [####................]} of the completed share after the mode.
     *
     * @param total the records the run will count (its {@code --records} less warm-up)
     */
    static String progressLine(String mode, PerfStats.Progress p, long total, boolean bar) {
        double done = total <= 0 ? 0 : Math.min(1.0, (double) p.records() / total);
        String head = mode + ":";
        if (bar) {
            int filled = (int) Math.floor(done * PROGRESS_BAR_WIDTH);
            head += " [" + "#".repeat(filled) + ".".repeat(PROGRESS_BAR_WIDTH - filled) + "]";
        }
        String rate = String.format(Locale.ROOT, "%s %d/%d records (%d%%), %.1f records/s, %.2f MB/s", head,
                p.records(), total, (int) Math.floor(done * 100), p.recordsPerSecond(), p.mbPerSecond());
        if (p.samples() == 0) {
            return rate;
        }
        return rate + String.format(Locale.ROOT, ", latency ms p50 %.2f p99 %.2f max %.2f", p.p50Ms(), p.p99Ms(),
                p.maxMs());
    }

    /** The human summary: totals, percentiles, extras, then the histogram; lines end with {@code \n}. */
    static String text(PerfSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %d records (%d bytes) in %.2f s: %.1f records/s, %.2f MB/s%n",
                s.mode(), s.records(), s.bytes(), s.seconds(), s.recordsPerSecond(), s.mbPerSecond()));
        PerfSummary.Latency l = s.latency();
        if (l.count() > 0) {
            b.append(String.format(Locale.ROOT,
                    "%s latency ms: avg %.2f, p50 %.2f, p95 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (%d samples)%n",
                    l.what(), l.meanMs(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(), l.count()));
        }
        for (Map.Entry<String, Double> e : s.extra().entrySet()) {
            b.append(String.format(Locale.ROOT, "%s: %.2f%n", e.getKey(), e.getValue()));
        }
        if (!s.histogram().isEmpty()) {
            b.append(histogram(s));
        }
        return b.toString();
    }

    /** The histogram: one line per bucket, {@code   1.024 -   2.048 ms |#####     |   1234  12.3%}. */
    static String histogram(PerfSummary s) {
        long most = s.histogram().stream().mapToLong(PerfSummary.Bucket::count).max().orElse(0);
        long all = s.histogram().stream().mapToLong(PerfSummary.Bucket::count).sum();
        int countWidth = Long.toString(most).length();
        StringBuilder b = new StringBuilder();
        for (PerfSummary.Bucket bucket : s.histogram()) {
            int bar = most == 0 ? 0 : (int) Math.round((double) BAR_WIDTH * bucket.count() / most);
            if (bar == 0 && bucket.count() > 0) {
                bar = 1;
            }
            b.append(String.format(Locale.ROOT, "%9.3f - %9.3f ms |%-" + BAR_WIDTH + "s| %" + countWidth
                            + "d %5.1f%%%n", bucket.fromMs(), bucket.toMs(), "#".repeat(bar), bucket.count(),
                    all == 0 ? 0.0 : 100.0 * bucket.count() / all));
        }
        return b.toString();
    }

    /** One JSON object with every number of the summary (latencies in ms, throughput in records/s and MB/s). */
    static String json(PerfSummary s) {
        PerfSummary.Latency l = s.latency();
        JsonWriter w = new JsonWriter().beginObject()
                .field("mode", s.mode())
                .field("records", s.records())
                .field("bytes", s.bytes())
                .field("elapsed_ms", s.elapsedNanos() / 1e6)
                .field("records_per_sec", s.recordsPerSecond())
                .field("mb_per_sec", s.mbPerSecond())
                .field("latency", l.what())
                .field("latency_samples", l.count())
                .field("latency_min_ms", l.minMs())
                .field("latency_avg_ms", l.meanMs())
                .field("latency_p50_ms", l.p50Ms())
                .field("latency_p95_ms", l.p95Ms())
                .field("latency_p99_ms", l.p99Ms())
                .field("latency_p999_ms", l.p999Ms())
                .field("latency_max_ms", l.maxMs());
        for (Map.Entry<String, Double> e : s.extra().entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.beginArray("histogram");
        for (PerfSummary.Bucket bucket : s.histogram()) {
            w.beginObject().field("from_ms", bucket.fromMs()).field("to_ms", bucket.toMs())
                    .field("count", bucket.count()).endObject();
        }
        return w.endArray().endObject().toString();
    }
}
