package io.samsa.storage.cleaner;

import org.apache.kafka.common.utils.Time;

/**
 * {@code log.cleaner.io.max.bytes.per.second} (Kafka's {@code Throttler}, shared by all cleaner threads): the cleaner
 * reports the bytes it reads and writes; once per check interval the observed rate is compared with the limit and the
 * reporting thread sleeps long enough to bring it back down. Kafka's default ({@code Double.MAX_VALUE}) disables it:
 * nothing is measured and nothing sleeps.
 *
 * <p>Thread-safe.
 */
final class Throttler {
    /** Kafka's check interval. */
    static final long CHECK_INTERVAL_MS = 300;

    private final double bytesPerSecond;
    private final Time time;
    private long periodStartNs;
    private double observed;

    Throttler(double bytesPerSecond, Time time) {
        this.bytesPerSecond = bytesPerSecond;
        this.time = time;
        this.periodStartNs = time.nanoseconds();
    }

    /** True when a limit is set. */
    boolean enabled() {
        return bytesPerSecond < Double.MAX_VALUE;
    }

    /**
     * Accounts for {@code bytes} of cleaner I/O, sleeping when the rate of the current period exceeds the limit.
     *
     * @throws CleaningAbortedException when interrupted while sleeping
     */
    void maybeThrottle(long bytes) {
        if (!enabled() || bytes <= 0) {
            return;
        }
        long sleepMs = 0;
        synchronized (this) {
            observed += bytes;
            long now = time.nanoseconds();
            long elapsedNs = now - periodStartNs;
            if (elapsedNs > CHECK_INTERVAL_MS * 1_000_000 && observed > 0) {
                double rate = observed * 1e9 / elapsedNs;
                if (rate > bytesPerSecond) {
                    double desiredNs = observed * 1e9 / bytesPerSecond;
                    sleepMs = (long) ((desiredNs - elapsedNs) / 1_000_000);
                }
                observed = 0;
                periodStartNs = now + sleepMs * 1_000_000;
            }
        }
        if (sleepMs > 0) {
            time.sleep(sleepMs);
            if (Thread.currentThread().isInterrupted()) {
                throw new CleaningAbortedException();
            }
        }
    }
}
