package io.samsa.console;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag samples kept in memory for the groups' live charts: a group is sampled every {@link #INTERVAL_MS} on one daemon
 * thread of its own (never an HTTP thread) while someone viewed it or reloaded its chart in the last
 * {@link #WINDOW_MS}; samples older than
 * the window are dropped, so memory is bounded by the watched groups × window / interval × partitions.
 *
 * <p>Thread-safe.
 */
final class LagHistory implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LagHistory.class);
    /** Sampling interval, ms. */
    static final long INTERVAL_MS = 5_000;
    /** How far back a chart goes and how long a group is sampled after its last view, ms (10 minutes). */
    static final long WINDOW_MS = 10 * 60_000;

    /** One sample: when (epoch ms) and the lag per partition. */
    record Sample(long timeMs, Map<TopicPartition, Long> lag) {
        Sample {
            lag = Map.copyOf(lag);
        }

        long total() {
            return lag.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Cluster cluster;
    private final Clock clock;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();
    private final Map<String, Long> lastViewed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler;

    LagHistory(Cluster cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "samsa-console-lag");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sampleWatched, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Marks {@code groupId} as viewed now and records {@code lag} as a sample taken now. */
    void viewed(String groupId, GroupLag lag) {
        lastViewed.put(groupId, clock.millis());
        add(groupId, new Sample(clock.millis(), lag.lag()));
    }

    /** Marks {@code groupId} as viewed now (an open page reloading its chart keeps the group sampled). */
    void touch(String groupId) {
        lastViewed.computeIfPresent(groupId, (g, t) -> clock.millis());
    }

    /** The samples of the last window, oldest first. */
    List<Sample> samples(String groupId) {
        Deque<Sample> d = samples.get(groupId);
        if (d == null) {
            return List.of();
        }
        synchronized (d) {
            return List.copyOf(d);
        }
    }

    private void add(String groupId, Sample sample) {
        Deque<Sample> d = samples.computeIfAbsent(groupId, g -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(sample);
            while (!d.isEmpty() && d.peekFirst().timeMs() < sample.timeMs() - WINDOW_MS) {
                d.removeFirst();
            }
        }
    }

    private void sampleWatched() {
        long now = clock.millis();
        for (Map.Entry<String, Long> e : Set.copyOf(lastViewed.entrySet())) {
            String group = e.getKey();
            if (e.getValue() < now - WINDOW_MS) {
                lastViewed.remove(group);
                samples.remove(group);
                continue;
            }
            try {
                add(group, new Sample(clock.millis(), GroupLag.fetch(cluster.admin(), group, Set.of()).lag()));
            } catch (RuntimeException ex) {
                LOGGER.debug("Lag sample of group {} failed: {}", group, ex.toString());
            }
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
