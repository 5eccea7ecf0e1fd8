package io.samsa.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.samsa.protocol.RequestObserver;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Kafka's {@code kafka.network:type=RequestMetrics} per API: {@code RequestsPerSec} (by request and version) and the
 * times {@code RequestQueueTimeMs}, {@code LocalTimeMs}, {@code ResponseQueueTimeMs}, {@code TotalTimeMs} as Prometheus
 * histograms in milliseconds (buckets {@link #BUCKETS_MS}).
 *
 * <p>Per request: array lookups by API key and version (meters are made on an API's first request), a counter
 * increment and four histogram records; no lock, no allocation. Thread-safe.
 */
final class RequestMetrics implements RequestObserver {
    /**
     * Histogram bucket bounds in ms, from 1 ms to a long-poll fetch or a slow acks=all produce. Micrometer rounds a
     * distribution summary's value up to a whole unit for its buckets, so the first bucket holds everything up to 1 ms
     * ({@code _sum} keeps the exact values).
     */
    static final double[] BUCKETS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};
    private static final double NANOS_PER_MS = 1_000_000.0;
    private static final int VERSIONS = 32;

    private record Times(DistributionSummary requestQueue, DistributionSummary local, DistributionSummary responseQueue,
                         DistributionSummary total) {
    }

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Times> times = new AtomicReferenceArray<>(ApiKeys.values().length);
    private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(ApiKeys.values().length * VERSIONS);

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(ApiKeys api, short version, long requestQueueNanos, long localNanos, long responseQueueNanos,
                         long totalNanos, boolean failed) {
        int v = Math.min(Math.max(version, 0), VERSIONS - 1);
        int slot = api.ordinal() * VERSIONS + v;
        Counter counter = requests.get(slot);
        if (counter == null) {
            counter = Counter.builder(KafkaMetrics.REQUESTS.baseName()).tag("request", api.name)
                    .tag("version", Short.toString(version)).register(registry);
            requests.set(slot, counter);
        }
        counter.increment();
        Times t = times.get(api.ordinal());
        if (t == null) {
            t = new Times(summary(KafkaMetrics.REQUEST_QUEUE_TIME, api), summary(KafkaMetrics.LOCAL_TIME, api),
                    summary(KafkaMetrics.RESPONSE_QUEUE_TIME, api), summary(KafkaMetrics.TOTAL_TIME, api));
            times.set(api.ordinal(), t);
        }
        t.requestQueue.record(requestQueueNanos / NANOS_PER_MS);
        t.local.record(localNanos / NANOS_PER_MS);
        t.responseQueue.record(responseQueueNanos / NANOS_PER_MS);
        t.total.record(totalNanos / NANOS_PER_MS);
    }

    /** A histogram of ms (registering the same id twice returns the same meter, so a race is harmless). */
    private DistributionSummary summary(KafkaMetric metric, ApiKeys api) {
        return DistributionSummary.builder(metric.baseName()).tag("request", api.name)
                .serviceLevelObjectives(BUCKETS_MS).register(registry);
    }
}
