package io.samsa.coordinator.group.record;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The type tag that starts every {@code __consumer_offsets} record key (an int16, big-endian), in Samsa's own format
 * (ADR 0004). Tags live in Samsa's range {@code 0x5300..0x53FF} so that Kafka's own decoders, whose tags are small
 * numbers, never mistake a Samsa record for one of theirs.
 *
 * <p>Classic groups and offsets use {@code 0x5301..0x530F}; {@code 0x5310..0x531F} are reserved for the KIP-848
 * consumer-group records, whose key and value bytes the consumer-group code encodes itself
 * ({@link CoordinatorRecord.Raw}).
 */
public enum RecordType {
    /** Key: group, topic, partition. Value: {@link OffsetCommitRecord}. */
    OFFSET_COMMIT(0x5301),
    /** Key: group. Value: a classic group's generation, protocol, leader and members ({@link GroupMetadataRecord}). */
    GROUP_METADATA(0x5302),
    /** KIP-848: group epoch and metadata of a consumer group. Reserved for the consumer-group code. */
    CONSUMER_GROUP_METADATA(0x5310),
    /** KIP-848: one member's subscription and settings. Reserved. */
    CONSUMER_GROUP_MEMBER_METADATA(0x5311),
    /** KIP-848: one member's target assignment. Reserved. */
    CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER(0x5312),
    /** KIP-848: one member's current assignment and epoch. Reserved. */
    CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT(0x5313),
    /** KIP-848: a regular-expression subscription and the topics it resolved to. Reserved. */
    CONSUMER_GROUP_REGULAR_EXPRESSION(0x5314),
    /** KIP-848: the target assignment epoch. Reserved. */
    CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA(0x5315),
    /** KIP-848: subscribed topics' metadata (partition counts). Reserved. */
    CONSUMER_GROUP_PARTITION_METADATA(0x5316);

    private static final Map<Short, RecordType> BY_TAG = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(RecordType::tag, Function.identity()));

    private final short tag;

    RecordType(int tag) {
        this.tag = (short) tag;
    }

    /** The int16 written first in the record key. */
    public short tag() {
        return tag;
    }

    /** True for the tags reserved to KIP-848 consumer groups. */
    public boolean isConsumerGroupRecord() {
        return (tag & 0xFFF0) == 0x5310;
    }

    /** The type of a tag, or null when unknown (a newer Samsa's record: skipped on load). */
    public static RecordType fromTag(short tag) {
        return BY_TAG.get(tag);
    }
}
