package io.samsa.cli;

import java.util.List;
import java.util.Map;

/**
 * The final numbers of one {@code samsa perf} run. Immutable.
 *
 * @param mode         {@code produce}, {@code consume} or {@code e2e}
 * @param records      records written (produce: acknowledged) or read
 * @param bytes        payload bytes of those records (key + value; Kafka's perf tools count the same)
 * @param elapsedNanos from the first send (or poll) to the last acknowledgement (or record), in ns
 * @param latency      the latency distribution, in ms ({@link Latency#what()} says which latency)
 * @param histogram    the latency distribution as text-bar buckets, lowest first
 * @param extra        mode-specific numbers (e.g. the consumer's {@code fetch-latency-avg}), in insertion order
 */
record PerfSummary(
        String mode,
        long records,
        long bytes,
        long elapsedNanos,
        Latency latency,
        List<Bucket> histogram,
        Map<String, Double> extra) {

    /** One MB in Kafka's perf tools: 1024 × 1024 bytes. */
    static final double MB = 1024.0 * 1024.0;

    PerfSummary {
        histogram = List.copyOf(histogram);
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }

    /** Elapsed seconds. */
    double seconds() {
        return elapsedNanos / 1e9;
    }

    /** Records per second over the whole run; 0 for an empty run. */
    double recordsPerSecond() {
        return elapsedNanos <= 0 ? 0 : records / seconds();
    }

    /** MB (2^20 bytes) per second over the whole run. */
    double mbPerSecond() {
        return elapsedNanos <= 0 ? 0 : bytes / MB / seconds();
    }

    /**
     * A latency distribution in milliseconds (fractions kept: recorded in microseconds).
     *
     * @param what  what was measured, e.g. {@code send→ack}
     * @param count number of samples
     */
    record Latency(String what, long count, double minMs, double meanMs, double p50Ms, double p95Ms, double p99Ms,
            double p999Ms, double maxMs) {
    }

    /** The samples in {@code [fromMs, toMs)}. */
    record Bucket(double fromMs, double toMs, long count) {
    }
}
