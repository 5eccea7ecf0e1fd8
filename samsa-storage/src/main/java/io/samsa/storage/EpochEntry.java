package io.samsa.storage;

/**
 * One entry of the leader epoch cache (KIP-101): a leader epoch and the first offset written in it (Kafka's
 * {@code EpochEntry}, one line {@code <epoch> <startOffset>} of the {@code leader-epoch-checkpoint} file).
 *
 * @param epoch       the leader epoch, {@code >= 0}
 * @param startOffset the first offset of the log written under {@code epoch}, {@code >= 0}
 */
public record EpochEntry(int epoch, long startOffset) {
}
