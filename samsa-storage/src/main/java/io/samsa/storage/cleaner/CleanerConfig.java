package io.samsa.storage.cleaner;

/**
 * Broker-level settings of the log cleaner (Kafka's {@code CleanerConfig}). Sizes in bytes, times in ms.
 *
 * @param enabled          {@code log.cleaner.enable} (default true): start the cleaner threads
 * @param threads          {@code log.cleaner.threads} (default 1)
 * @param dedupeBufferSize {@code log.cleaner.dedupe.buffer.size} (default 128 MiB), shared by the threads: each
 *                         thread's {@link OffsetMap} holds at most {@code dedupeBufferSize / threads / 24 * 0.9} keys
 *                         and is only as large as the dirty range needs
 * @param ioBufferSize     {@code log.cleaner.io.buffer.size} (default 512 KiB), shared by the threads: half for reads,
 *                         half for writes; buffers grow to fit a larger batch
 * @param backoffMs        {@code log.cleaner.backoff.ms} (default 15000): a thread's sleep when no log needs cleaning
 * @param maxIoBytesPerSecond {@code log.cleaner.io.max.bytes.per.second} (default {@code Double.MAX_VALUE}: not
 *                         throttled): the bytes per second all cleaner threads together may read plus write
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferSize, int ioBufferSize, long backoffMs,
                            double maxIoBytesPerSecond) {
    /** Kafka's {@code log.cleaner.io.buffer.load.factor}. */
    public static final double LOAD_FACTOR = 0.9;

    public CleanerConfig {
        if (threads < 0 || dedupeBufferSize < OffsetMap.BYTES_PER_ENTRY || ioBufferSize < 0 || backoffMs < 0
                || !(maxIoBytesPerSecond > 0)) {
            throw new IllegalArgumentException("invalid cleaner config threads=" + threads + " dedupeBufferSize="
                    + dedupeBufferSize + " ioBufferSize=" + ioBufferSize + " backoffMs=" + backoffMs
                    + " maxIoBytesPerSecond=" + maxIoBytesPerSecond);
        }
    }

    /** Not throttled (Kafka's default {@code log.cleaner.io.max.bytes.per.second}). */
    public CleanerConfig(boolean enabled, int threads, long dedupeBufferSize, int ioBufferSize, long backoffMs) {
        this(enabled, threads, dedupeBufferSize, ioBufferSize, backoffMs, Double.MAX_VALUE);
    }

    /** Kafka's defaults. */
    public static CleanerConfig defaults() {
        return new CleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, 15_000L, Double.MAX_VALUE);
    }

    /** The dedupe budget of one thread (bytes). */
    public long dedupeBytesPerThread() {
        return dedupeBufferSize / Math.max(1, threads);
    }

    /** The initial read (and write) buffer of one thread (bytes, at least 1 KiB). */
    public int ioBytesPerThreadAndDirection() {
        return Math.max(1024, ioBufferSize / Math.max(1, threads) / 2);
    }
}
