package io.samsa.broker.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.samsa.broker.handlers.FetchSessionCache;
import io.samsa.broker.replica.DelayedFetchPurgatory;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.broker.replica.TopicTraffic;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.metadata.MetadataQuorum;
import io.samsa.protocol.RequestObserver;
import io.samsa.storage.LogFlushStats;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's metrics (docs/operations/metrics.md): one Micrometer {@link PrometheusMeterRegistry} holding Kafka's
 * metrics under the names the Prometheus JMX exporter's Kafka rules give them ({@link KafkaMetric}), the JVM's
 * (Micrometer's JVM binders: memory, GC, threads, classes, CPU, uptime, file descriptors), and the same meters over
 * JMX under Kafka's MBean names ({@link KafkaJmx}).
 *
 * <p>Hot path: {@link #requests()} (per request) and {@link #traffic()} (per appended batch set and fetched
 * partition) only increment adders; everything else is a gauge computed on scrape. Off entirely when the system
 * property {@code samsa.metrics.enabled=false} is set (for measuring their cost): no registry, no hooks.
 *
 * <p>Thread-safe. {@link #close()} unregisters the MBeans and the GC listeners.
 */
public final class BrokerMetrics implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerMetrics.class);
    /** System property: {@code false} turns metrics off (no meters, no hooks; {@code /metrics} answers 404). */
    public static final String ENABLED_PROPERTY = "samsa.metrics.enabled";
    /** The Prometheus text format Prometheus asks for by default. */
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics, when the scraper's Accept header asks for it. */
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final long REFRESH_EVERY_S = 30;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final TopicMetrics topics = new TopicMetrics(registry);
    private final BrokerGauges gauges;
    private final KafkaJmx jmx;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ScheduledExecutorService refresher;
    private final BrokerGauges.Sources sources;
    private final LongConsumer flushListener;

    private BrokerMetrics(BrokerGauges.Sources sources) {
        this.sources = sources;
        this.jmx = new KafkaJmx(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.gauges = new BrokerGauges(registry, sources);
        DistributionSummary flush = DistributionSummary.builder(KafkaMetrics.LOG_FLUSH.baseName())
                .serviceLevelObjectives(RequestMetrics.BUCKETS_MS).register(registry);
        this.flushListener = nanos -> flush.record(nanos / 1_000_000.0);
        LogFlushStats.listener(flushListener);
        // the JMX readers see new partitions and groups without a scrape too
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "samsa-metrics-refresh-" + sources.nodeId());
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_EVERY_S, REFRESH_EVERY_S, TimeUnit.SECONDS);
    }

    /** Whether metrics are on ({@value #ENABLED_PROPERTY} is not {@code false}). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }

    /**
     * The broker's metrics; null when {@link #enabled()} is false.
     *
     * @param fetchSessions the Fetch handler's incremental fetch sessions (KIP-227)
     * @param groups the group coordinator once made (null before)
     */
    public static BrokerMetrics start(int nodeId, ReplicaManager replicas, MetadataQuorum quorum,
                                      DelayedFetchPurgatory fetchPurgatory, FetchSessionCache fetchSessions,
                                      Supplier<GroupCoordinator> groups) {
        if (!enabled()) {
            LOGGER.info("Metrics are off ({}=false)", ENABLED_PROPERTY);
            return null;
        }
        return new BrokerMetrics(new BrokerGauges.Sources(nodeId, replicas, quorum, fetchPurgatory, fetchSessions,
                groups));
    }

    /** The per-request hook for the Kafka listeners' {@code ApiRegistry}. */
    public RequestObserver requests() {
        return requests;
    }

    /** The per-topic traffic hook for the replica manager. */
    public TopicTraffic traffic() {
        return topics;
    }

    /** The registry (tests and tools). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Writes every metric in the format {@code accept} asks for: OpenMetrics when it names
     * {@code application/openmetrics-text}, else Prometheus text 0.0.4.
     *
     * @return the content type written
     */
    public String scrape(String accept, OutputStream out) throws IOException {
        refreshQuietly();
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT_004;
        registry.scrape(out, type);
        return type;
    }

    private void refreshQuietly() {
        try {
            topics.retain(sources.quorum().image().topics().keySet());
            gauges.refresh();
        } catch (RuntimeException e) {
            LOGGER.warn("Refreshing the metrics failed: {}", e.toString());
            LOGGER.debug("Refreshing the metrics failed", e);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        LogFlushStats.remove(flushListener);
        gc.close();
        jmx.close();
        registry.close();
    }


}
