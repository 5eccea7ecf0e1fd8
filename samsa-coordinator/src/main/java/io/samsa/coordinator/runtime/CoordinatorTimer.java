package io.samsa.coordinator.runtime;

/**
 * Time and keyed timers for one shard (session expiry, rebalance timeouts, delayed joins, offset expiry). Actions run
 * on the shard's serial executor, never concurrently with requests. Scheduling a key again replaces its timer;
 * a cancelled or replaced timer never fires.
 *
 * <p>Implementations are thread-safe; production uses {@link SchedulerTimer}, unit tests a manual clock.
 */
public interface CoordinatorTimer {

    /** The current time in ms since the epoch. */
    long nowMs();

    /** Runs {@code action} on the shard after {@code delayMs}, replacing any timer with the same key. */
    void schedule(String key, long delayMs, Runnable action);

    /** Cancels the timer with this key, if any. */
    void cancel(String key);

    /** True while a timer with this key is pending. */
    boolean isScheduled(String key);

    /** Cancels every timer (the shard is unloaded). */
    void cancelAll();
}
