package io.samsa.storage.index;

/**
 * A time index entry.
 *
 * @param timestamp the largest timestamp (ms) seen in the segment up to {@code offset}
 * @param offset    absolute offset of the record carrying that timestamp's batch
 */
public record TimestampOffset(long timestamp, long offset) {
}
