package io.samsa.storage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A manually advanced clock for tests. */
public final class MockTime implements Time {
    private final AtomicLong nowMs;

    public MockTime(long startMs) {
        this.nowMs = new AtomicLong(startMs);
    }

    public void advance(long ms) {
        nowMs.addAndGet(ms);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return nowMs.get() * 1_000_000L;
    }

    @Override
    public void sleep(long ms) {
        advance(ms);
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        if (!condition.get()) {
            throw new UnsupportedOperationException("MockTime cannot wait");
        }
    }
}
