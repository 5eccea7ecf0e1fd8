package io.samsa.coordinator.group;

/**
 * The group coordinator's settings, with Kafka's broker keys and defaults (the broker reads them from its
 * configuration). Times in ms, sizes in bytes.
 *
 * @param offsetsTopicPartitions      {@code offsets.topic.num.partitions} (50)
 * @param offsetsTopicReplication     {@code offsets.topic.replication.factor} (3; capped at the live brokers)
 * @param offsetsTopicSegmentBytes    {@code offsets.topic.segment.bytes} (100 MiB)
 * @param offsetMetadataMaxBytes      {@code offset.metadata.max.bytes} (4096): larger commit metadata fails with
 *                                    OFFSET_METADATA_TOO_LARGE
 * @param offsetsRetentionMs          {@code offsets.retention.minutes} (7 days) in ms
 * @param offsetsRetentionCheckMs     {@code offsets.retention.check.interval.ms} (600000)
 * @param initialRebalanceDelayMs     {@code group.initial.rebalance.delay.ms} (3000)
 * @param minSessionTimeoutMs         {@code group.min.session.timeout.ms} (6000)
 * @param maxSessionTimeoutMs         {@code group.max.session.timeout.ms} (1800000)
 * @param maxGroupSize                {@code group.max.size} (unbounded)
 * @param coordinatorThreads          {@code group.coordinator.threads} (4)
 */
public record GroupConfig(int offsetsTopicPartitions, short offsetsTopicReplication, int offsetsTopicSegmentBytes,
                          int offsetMetadataMaxBytes, long offsetsRetentionMs, long offsetsRetentionCheckMs,
                          int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                          int maxGroupSize, int coordinatorThreads) {

    /** Kafka's defaults, with the initial rebalance delay given (tests use 0). */
    public static GroupConfig defaults(int initialRebalanceDelayMs) {
        return new GroupConfig(50, (short) 3, 104_857_600, 4096, 10_080 * 60_000L, 600_000L,
                initialRebalanceDelayMs, 6000, 1_800_000, Integer.MAX_VALUE, 4);
    }

    public GroupConfig withMaxGroupSize(int size) {
        return new GroupConfig(offsetsTopicPartitions, offsetsTopicReplication, offsetsTopicSegmentBytes,
                offsetMetadataMaxBytes, offsetsRetentionMs, offsetsRetentionCheckMs, initialRebalanceDelayMs,
                minSessionTimeoutMs, maxSessionTimeoutMs, size, coordinatorThreads);
    }
}
