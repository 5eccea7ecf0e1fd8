package io.samsa.coordinator.group;

/**
 * One committed offset of one partition for one group, as OffsetFetch returns it.
 *
 * @param offset            the next offset to consume
 * @param leaderEpoch       leader epoch of the last consumed record, -1 if unknown
 * @param metadata          the client's metadata ("" when none)
 * @param commitTimestampMs when the coordinator accepted it (ms since the epoch)
 * @param expireTimestampMs an explicit expiry (OffsetCommit v1 retention), -1 for the broker's retention
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs,
                              long expireTimestampMs) {
}
