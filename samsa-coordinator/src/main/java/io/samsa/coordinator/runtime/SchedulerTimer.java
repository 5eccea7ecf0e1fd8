package io.samsa.coordinator.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link CoordinatorTimer} on a {@link ScheduledExecutorService}: on expiry the action is handed to the shard's serial
 * executor, where it runs only if its key still maps to it (a timer replaced or cancelled meanwhile is dropped).
 * Thread-safe.
 */
public final class SchedulerTimer implements CoordinatorTimer {
    private final ScheduledExecutorService scheduler;
    private final Executor shardExecutor;
    private final ConcurrentHashMap<String, Entry> timers = new ConcurrentHashMap<>();

    private static final class Entry {
        private volatile ScheduledFuture<?> future;

        void cancel() {
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    public SchedulerTimer(ScheduledExecutorService scheduler, Executor shardExecutor) {
        this.scheduler = scheduler;
        this.shardExecutor = shardExecutor;
    }

    @Override
    public long nowMs() {
        return System.currentTimeMillis();
    }

    @Override
    public void schedule(String key, long delayMs, Runnable action) {
        Entry entry = new Entry();
        Entry old = timers.put(key, entry);
        if (old != null) {
            old.cancel();
        }
        // A timer that fires before its future is stored still checks the map, so it cannot run once replaced.
        entry.future = scheduler.schedule(() -> shardExecutor.execute(() -> {
            if (timers.remove(key, entry)) {
                action.run();
            }
        }), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void cancel(String key) {
        Entry old = timers.remove(key);
        if (old != null) {
            old.cancel();
        }
    }

    @Override
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    @Override
    public void cancelAll() {
        timers.values().forEach(Entry::cancel);
        timers.clear();
    }
}
