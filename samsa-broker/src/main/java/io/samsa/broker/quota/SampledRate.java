package io.samsa.broker.quota;

/**
 * A rate over sampled windows, with the semantics of Kafka's {@code Rate}/{@code SampledStat}: {@code samples}
 * windows of {@code windowMs}; a window is complete when it is {@code windowMs} old and the next one starts at the
 * time of the first value recorded after that; windows older than {@code samples * windowMs} count for nothing. The
 * rate is the sum of the live windows divided by the elapsed time since the oldest window began, that time being at
 * least {@code samples - 1} full windows (so a fresh sensor does not see a burst as a huge rate).
 *
 * <p>Thread-safe: one monitor per sensor (the lock is per quota entity, never global). No allocation after
 * construction.
 */
final class SampledRate {

    private final int samples;
    private final long windowMs;
    private final long[] starts;
    private final double[] values;
    private int used;
    private int current;
    private volatile long lastRecordMs;

    SampledRate(int samples, long windowMs) {
        if (samples < 1 || windowMs < 1) {
            throw new IllegalArgumentException("samples and windowMs must be positive");
        }
        this.samples = samples;
        this.windowMs = windowMs;
        this.starts = new long[samples];
        this.values = new double[samples];
    }

    /** Adds {@code value} at {@code nowMs} (may be negative, to take a value back). */
    synchronized void record(double value, long nowMs) {
        advance(nowMs);
        values[current] += value;
        lastRecordMs = nowMs;
    }

    /**
     * Records {@code value}, then returns the throttle time in ms if the rate is now above {@code bound}: Kafka's
     * {@code QuotaUtils.throttleTime}, {@code (rate - bound) / bound * windowSize}, at most {@code maxThrottleMs};
     * 0 when within the bound.
     */
    synchronized long recordAndThrottle(double value, long nowMs, double bound, long maxThrottleMs) {
        record(value, nowMs);
        long window = windowSizeMs(nowMs);
        double rate = total(nowMs) * 1000.0 / window;
        if (rate <= bound) {
            return 0;
        }
        double throttle = bound <= 0 ? maxThrottleMs : (rate - bound) / bound * window;
        return Math.min(maxThrottleMs, Math.round(throttle));
    }

    /** The rate per second at {@code nowMs}. */
    synchronized double rate(long nowMs) {
        return total(nowMs) * 1000.0 / windowSizeMs(nowMs);
    }

    /** When a value was last recorded (ms), for expiring idle sensors. */
    long lastRecordMs() {
        return lastRecordMs;
    }

    private void advance(long nowMs) {
        if (used == 0) {
            used = 1;
            current = 0;
            starts[0] = nowMs;
            values[0] = 0;
            return;
        }
        if (nowMs - starts[current] >= windowMs) {
            current = (current + 1) % samples;
            if (current >= used) {
                used = current + 1;
            }
            starts[current] = nowMs;
            values[current] = 0;
        }
    }

    private double total(long nowMs) {
        long expireAge = samples * windowMs;
        double sum = 0;
        for (int i = 0; i < used; i++) {
            if (nowMs - starts[i] >= expireAge) {
                starts[i] = nowMs;
                values[i] = 0;
            }
            sum += values[i];
        }
        return sum;
    }

    private long windowSizeMs(long nowMs) {
        long oldest = nowMs;
        for (int i = 0; i < used; i++) {
            oldest = Math.min(oldest, starts[i]);
        }
        long elapsed = nowMs - oldest;
        long fullWindows = elapsed / windowMs;
        if (fullWindows < samples - 1) {
            elapsed += (samples - 1 - fullWindows) * windowMs;
        }
        return Math.max(elapsed, 1);
    }
}
