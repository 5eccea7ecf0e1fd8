package io.samsa.coordinator.group.record;

/**
 * A committed offset of one partition for one group (key: group, topic, partition), or its tombstone when
 * {@code value} is null (offset deleted or expired).
 *
 * @param value the committed offset, null for a tombstone
 */
public record OffsetCommitRecord(String groupId, String topic, int partition, Value value) implements CoordinatorRecord {

    /**
     * @param offset            the next offset to consume
     * @param leaderEpoch       the leader epoch of the last consumed record, -1 if unknown
     * @param metadata          the client's metadata string (never null; "" when absent)
     * @param commitTimestampMs when the coordinator accepted the commit (ms since the epoch)
     * @param expireTimestampMs explicit expiry from OffsetCommit v1 retention (ms), or -1: the broker's retention
     */
    public record Value(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {
        public Value {
            metadata = metadata == null ? "" : metadata;
        }
    }

    public static OffsetCommitRecord tombstone(String groupId, String topic, int partition) {
        return new OffsetCommitRecord(groupId, topic, partition, null);
    }

    @Override
    public RecordType type() {
        return RecordType.OFFSET_COMMIT;
    }

    @Override
    public boolean isTombstone() {
        return value == null;
    }
}
