package io.samsa.storage.producer;

/**
 * One retained batch of an idempotent producer (Kafka's {@code BatchMetadata}).
 *
 * @param firstSeq    base sequence
 * @param lastSeq     last sequence (wraps at Integer.MAX_VALUE to 0)
 * @param firstOffset offset given to the first record
 * @param lastOffset  offset given to the last record
 * @param timestamp   the batch's max timestamp (ms)
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
    /** {@code lastOffset - firstOffset}, also {@code lastSeq - firstSeq} modulo wrap. */
    public int offsetDelta() {
        return (int) (lastOffset - firstOffset);
    }
}
