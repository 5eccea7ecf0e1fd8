package io.samsa.broker.security;

/**
 * A budget of log lines per wall-clock second, so that a client hammering a refused resource cannot flood the log.
 * When a second ends with lines left out, the next permitted caller also logs how many were dropped. Thread-safe
 * (one short synchronized block per call; only denials pay it).
 */
final class RateLimitedLog {
    private final int perSecond;
    private long second = -1; // guarded by this
    private int used;         // guarded by this
    private long dropped;     // guarded by this

    RateLimitedLog(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Whether one more line may be logged now. */
    synchronized boolean tryAcquire() {
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
            if (dropped > 0) {
                AclAuthorizer.AUDIT.info("{} more authorization denials were not logged (at most {} a second)",
                        dropped, perSecond);
            }
            second = now;
            used = 0;
            dropped = 0;
        }
        if (used < perSecond) {
            used++;
            return true;
        }
        dropped++;
        return false;
    }
}
