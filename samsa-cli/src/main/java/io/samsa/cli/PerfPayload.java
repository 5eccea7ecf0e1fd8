package io.samsa.cli;

import java.util.SplittableRandom;

/**
 * The value bytes of {@code samsa perf}: one reused buffer of random upper-case letters (like Kafka's
 * {@code ProducerPerformance}, so compression ratios compare), with an optional stamp in its first 16 bytes for
 * {@code e2e}: a run id and {@link System#nanoTime()}, both big-endian. Not thread-safe: one sender.
 */
final class PerfPayload {
    /** Bytes taken by the e2e stamp. */
    static final int STAMP_BYTES = 16;

    private final byte[] value;

    PerfPayload(int size, long seed) {
        value = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            value[i] = (byte) ('A' + random.nextInt(26));
        }
    }

    /** The reused buffer (the producer copies it into its batch during {@code send}). */
    byte[] value() {
        return value;
    }

    /** Writes {@code runId} and {@code nanos} into the first 16 bytes and returns the buffer. */
    byte[] stamped(long runId, long nanos) {
        putLong(value, 0, runId);
        putLong(value, 8, nanos);
        return value;
    }

    /** The stamp's send time when {@code v} carries {@code runId}'s stamp, else {@link Long#MIN_VALUE}. */
    static long stampOf(byte[] v, long runId) {
        if (v == null || v.length < STAMP_BYTES || getLong(v, 0) != runId) {
            return Long.MIN_VALUE;
        }
        return getLong(v, 8);
    }

    private static void putLong(byte[] b, int at, long x) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) x;
            x >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long x = 0;
        for (int i = 0; i < 8; i++) {
            x = (x << 8) | (b[at + i] & 0xFF);
        }
        return x;
    }
}
