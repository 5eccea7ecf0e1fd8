package io.samsa.cli;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces a sender to a target rate, like Kafka's {@code ThroughputThrottler}: permit {@code n} is due at
 * {@code start + n / rate}; {@link #acquire()} sleeps only when the caller is more than
 * {@value #MIN_SLEEP_MS} ms ahead (so bursts are at most that long) and never makes up for time lost while
 * the caller was blocked elsewhere beyond that schedule. Not thread-safe: one sender.
 */
final class RateLimiter {
    /** The smallest sleep, in ms: below it the caller runs ahead. */
    static final long MIN_SLEEP_MS = 1;

    /** Sleeps for the given ns. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos);
    }

    private final double nanosPerPermit;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long start = Long.MIN_VALUE;
    private long permits;

    /** A limiter at {@code perSecond} permits/s; {@code perSecond <= 0} means unlimited. */
    RateLimiter(double perSecond, LongSupplier nanoClock, Sleeper sleeper) {
        this.nanosPerPermit = perSecond <= 0 ? 0 : 1e9 / perSecond;
        this.clock = nanoClock;
        this.sleeper = sleeper;
    }

    /** A limiter on {@link System#nanoTime()} that parks the thread. */
    static RateLimiter of(double perSecond) {
        return new RateLimiter(perSecond, System::nanoTime, LockSupport::parkNanos);
    }

    /** Waits, if needed, until the next permit is due. */
    void acquire() {
        if (nanosPerPermit == 0) {
            return;
        }
        long now = clock.getAsLong();
        if (start == Long.MIN_VALUE) {
            start = now;
        }
        long due = start + (long) (permits * nanosPerPermit);
        permits++;
        long ahead = due - now;
        if (ahead >= TimeUnit.MILLISECONDS.toNanos(MIN_SLEEP_MS)) {
            sleeper.sleep(ahead);
        }
    }
}
