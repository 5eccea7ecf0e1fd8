package io.samsa.storage;

import java.util.function.LongConsumer;

/**
 * Log flush times for the metrics (Kafka's {@code kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs}): every
 * fsync of a partition log (group commit, {@code flush.ms}/{@code flush.messages}, roll, close) reports its duration
 * in nanoseconds to one process-wide listener.
 *
 * <p>Process-wide, as Kafka's: with several brokers in one JVM (tests) the last broker that set a listener gets every
 * log's flushes. Thread-safe; the listener must be cheap and must not block (it runs on the flushing thread).
 */
public final class LogFlushStats {
    private static volatile LongConsumer listener = nanos -> {
    };

    private LogFlushStats() {
    }

    /** Sets where flush durations go (nanoseconds); null for nowhere. */
    public static synchronized void listener(LongConsumer durations) {
        listener = durations == null ? nanos -> {
        } : durations;
    }

    /** Removes {@code durations} if it is still the listener (a broker closing while another one runs keeps its). */
    public static synchronized void remove(LongConsumer durations) {
        if (listener == durations) {
            listener(null);
        }
    }

    static void flushed(long startNanos) {
        listener.accept(System.nanoTime() - startNanos);
    }
}
