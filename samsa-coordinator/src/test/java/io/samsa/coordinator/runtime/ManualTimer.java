package io.samsa.coordinator.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link CoordinatorTimer} on a manual clock: {@link #advance} runs due timers in time order, on the caller. */
public final class ManualTimer implements CoordinatorTimer {
    private record Entry(long dueMs, long seq, Runnable action) {
    }

    private final Map<String, Entry> timers = new HashMap<>();
    private long now = 1_700_000_000_000L;
    private long seq;

    @Override
    public long nowMs() {
        return now;
    }

    @Override
    public void schedule(String key, long delayMs, Runnable action) {
        timers.put(key, new Entry(now + Math.max(0, delayMs), seq++, action));
    }

    @Override
    public void cancel(String key) {
        timers.remove(key);
    }

    @Override
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    @Override
    public void cancelAll() {
        timers.clear();
    }

    /** Moves the clock forward, firing every timer that falls due, earliest first. */
    public void advance(long ms) {
        long target = now + ms;
        while (true) {
            Optional<Map.Entry<String, Entry>> next = timers.entrySet().stream()
                    .filter(e -> e.getValue().dueMs() <= target)
                    .min((a, b) -> a.getValue().dueMs() != b.getValue().dueMs()
                            ? Long.compare(a.getValue().dueMs(), b.getValue().dueMs())
                            : Long.compare(a.getValue().seq(), b.getValue().seq()));
            if (next.isEmpty()) {
                break;
            }
            timers.remove(next.get().getKey());
            now = Math.max(now, next.get().getValue().dueMs());
            next.get().getValue().action().run();
        }
        now = target;
    }
}
