package io.samsa.broker.quota;

/**
 * Kafka's {@code TokenBucket} stat for the controller mutation quota (KIP-599): a bucket of at most
 * {@code burst = quota * samples * windowSeconds} tokens, refilled at {@code quota} tokens per second, starting full;
 * each mutated partition takes one token and the count may go negative. The quota is exceeded while the bucket is
 * below zero; the throttle time is the time to refill to zero, {@code -tokens / quota * 1000} ms.
 *
 * <p>Thread-safe (one monitor per sensor).
 */
final class TokenBucket {

    private final int samples;
    private final long windowMs;
    private double tokens = Double.NaN;
    private long lastUpdateMs;
    private volatile long lastRecordMs;

    TokenBucket(int samples, long windowMs) {
        this.samples = samples;
        this.windowMs = windowMs;
    }

    /**
     * Strict mode (CreateTopics v6+, DeleteTopics v5+, CreatePartitions v3+): when the bucket is already negative,
     * nothing is taken and the throttle time is returned; otherwise {@code permits} are taken (possibly going
     * negative) and 0 is returned.
     */
    synchronized long checkThenRecord(double permits, long nowMs, double quota) {
        refill(nowMs, quota);
        if (tokens < 0) {
            return throttle(quota);
        }
        tokens = Math.min(burst(quota), tokens - permits);
        lastRecordMs = nowMs;
        return 0;
    }

    /** Permissive mode (older versions): takes {@code permits}, then returns the throttle time if negative. */
    synchronized long recordThenCheck(double permits, long nowMs, double quota) {
        refill(nowMs, quota);
        tokens = Math.min(burst(quota), tokens - permits);
        lastRecordMs = nowMs;
        return tokens < 0 ? throttle(quota) : 0;
    }

    /** Tokens left at {@code nowMs} (negative while over the quota). */
    synchronized double tokens(long nowMs, double quota) {
        refill(nowMs, quota);
        return tokens;
    }

    long lastRecordMs() {
        return lastRecordMs;
    }

    private long throttle(double quota) {
        return quota <= 0 ? Long.MAX_VALUE : Math.round(-tokens / quota * 1000);
    }

    private double burst(double quota) {
        return samples * (windowMs / 1000.0) * quota;
    }

    private void refill(long nowMs, double quota) {
        double burst = burst(quota);
        if (Double.isNaN(tokens)) {
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + quota * (nowMs - lastUpdateMs) / 1000.0);
        }
        lastUpdateMs = nowMs;
    }
}
