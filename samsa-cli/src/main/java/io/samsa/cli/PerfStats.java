package io.samsa.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts and latencies of a {@code samsa perf} run. Latencies are recorded in microseconds into an HdrHistogram
 * {@link Recorder} (3 significant digits), so any number of threads may call {@link #record}, {@link #count} and
 * {@link #latency} concurrently (the producer's I/O thread, a consumer thread) without locks or allocation; the
 * reading side ({@link #progress}, {@link #summary}) is synchronized and may run on another thread.
 */
final class PerfStats {
    private static final int DIGITS = 3;
    private static final int MAX_BUCKETS = 16;

    private final String latencyName;
    private final Recorder recorder = new Recorder(DIGITS);
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile long startNanos;
    private volatile long lastEventNanos;

    // reader side, guarded by this
    private final Histogram total = new Histogram(DIGITS);
    private Histogram interval;
    private long lastRecords;
    private long lastBytes;
    private long lastProgressNanos;

    /** Stats whose latency is described as {@code latencyName} (e.g. {@code send→ack}); the clock starts now. */
    PerfStats(String latencyName, long nowNanos) {
        this.latencyName = latencyName;
        start(nowNanos);
    }

    /** (Re)starts the clock, e.g. once the topic exists and the clients are connected. */
    synchronized void start(long nowNanos) {
        startNanos = nowNanos;
        lastEventNanos = nowNanos;
        lastProgressNanos = nowNanos;
    }

    /** One record of {@code size} bytes with its latency in µs (negative values count as 0). Thread-safe. */
    void record(long latencyMicros, int size, long nowNanos) {
        latency(latencyMicros);
        count(size, nowNanos);
    }

    /** One record of {@code size} bytes, no latency sample. Thread-safe. */
    void count(int size, long nowNanos) {
        records.increment();
        bytes.add(size);
        lastEventNanos = nowNanos;
    }

    /** One latency sample in µs (negative values count as 0). Thread-safe. */
    void latency(long latencyMicros) {
        recorder.recordValue(Math.max(0, latencyMicros));
    }

    /** Records counted so far. */
    long records() {
        return records.sum();
    }

    /** What the progress line shows: totals, the rate since the last call, latency so far (ms). */
    record Progress(long records, double recordsPerSecond, double mbPerSecond, long samples, double p50Ms,
            double p99Ms, double maxMs) {
    }

    /** The progress since the previous call (or the start). */
    synchronized Progress progress(long nowNanos) {
        drain();
        long r = records.sum();
        long b = bytes.sum();
        double seconds = Math.max(1e-9, (nowNanos - lastProgressNanos) / 1e9);
        Progress p = new Progress(r, (r - lastRecords) / seconds, (b - lastBytes) / PerfSummary.MB / seconds,
                total.getTotalCount(), ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(99)),
                ms(total.getMaxValue()));
        lastRecords = r;
        lastBytes = b;
        lastProgressNanos = nowNanos;
        return p;
    }

    /** The final numbers: elapsed from the start to the last counted record. */
    synchronized PerfSummary summary(String mode, Map<String, Double> extra) {
        drain();
        long elapsed = Math.max(0, lastEventNanos - startNanos);
        boolean empty = total.getTotalCount() == 0;
        PerfSummary.Latency latency = new PerfSummary.Latency(latencyName, total.getTotalCount(),
                ms(empty ? 0 : total.getMinValue()), empty ? 0 : total.getMean() / 1000.0,
                ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(95)),
                ms(total.getValueAtPercentile(99)), ms(total.getValueAtPercentile(99.9)), ms(total.getMaxValue()));
        return new PerfSummary(mode, records.sum(), bytes.sum(), elapsed, latency, buckets(total), extra);
    }

    private void drain() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
    }

    /**
     * Power-of-two buckets in µs, {@code [2^k, 2^(k+1))}, from the one holding the highest sample down to the one
     * holding the lowest, at most {@value #MAX_BUCKETS} (then the lowest starts at 0). Lowest first. Pure.
     */
    static List<PerfSummary.Bucket> buckets(Histogram h) {
        List<PerfSummary.Bucket> out = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return out;
        }
        long min = h.getMinValue();
        long to = Long.highestOneBit(Math.max(1, h.getMaxValue())) << 1; // exclusive upper edge above the max
        while (true) {
            long from = to >>> 1;
            boolean last = from <= min || from == 1 || out.size() == MAX_BUCKETS - 1;
            if (last && from > min) {
                from = 0;
            }
            if (from == 1 && min == 0) {
                from = 0;
            }
            out.add(new PerfSummary.Bucket(ms(from), ms(to), h.getCountBetweenValues(from, to - 1)));
            if (last) {
                break;
            }
            to = from;
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
