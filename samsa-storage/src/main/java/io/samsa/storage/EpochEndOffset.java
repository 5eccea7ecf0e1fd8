package io.samsa.storage;

/**
 * One leader epoch and its end offset (exclusive), the answer to OffsetsForLeaderEpoch (API 23, KIP-101/KIP-279):
 * the largest epoch at most the requested one that this log knows, and the first offset after it (the start offset
 * of the next known epoch, or the log end offset for the latest epoch).
 *
 * @param leaderEpoch the epoch found
 * @param endOffset   the offset after the last one written in {@code leaderEpoch} (exclusive)
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
}
