package io.samsa.coordinator.group;

import java.util.OptionalLong;
import org.apache.kafka.common.GroupType;

/**
 * A group held by a {@link GroupCoordinatorShard}: a {@link io.samsa.coordinator.group.classic.ClassicGroup} (JoinGroup/
 * SyncGroup protocol) or a {@link io.samsa.coordinator.group.consumer.ConsumerGroup} (KIP-848). Offsets, listing and
 * deletion work on either through this interface; each kind validates requests against its own membership.
 *
 * <p>The set of kinds is closed (those two). It is not declared {@code sealed} because Java only seals across packages
 * inside a named module, and the broker runs on the class path; switches over groups keep a default branch.
 *
 * <p>Not thread-safe: a group is owned by its shard and touched only on the shard's serial executor.
 */
public interface Group {

    String groupId();

    /** CLASSIC or CONSUMER (ListGroups v5 {@code GroupType}, KIP-848). */
    GroupType type();

    /**
     * The state as ListGroups/DescribeGroups name it: "Empty", "PreparingRebalance", "CompletingRebalance", "Stable",
     * "Dead" for classic groups; "Empty", "Assigning", "Reconciling", "Stable", "Dead" for consumer groups.
     */
    String stateName();

    /** The protocol type: "consumer" for Java/librdkafka consumers and KIP-848 groups, "connect", ... or "". */
    String protocolType();

    /** True when the group has no members. */
    boolean isEmpty();

    /**
     * Checks that a member may commit offsets (OffsetCommit/TxnOffsetCommit). Classic groups check the generation,
     * KIP-848 consumer groups the member epoch ({@code ConsumerGroup.validateOffsetCommit}, which also requires
     * OffsetCommit v9+ from their members).
     *
     * @param memberId                   "" for a simple (standalone) commit
     * @param groupInstanceId            the static member id (KIP-345) or null
     * @param generationIdOrMemberEpoch  the generation (classic) or member epoch (KIP-848); -1 for simple commits
     * @param isTransactional            true for TxnOffsetCommit
     * @param apiVersion                 the OffsetCommit request version
     * @throws org.apache.kafka.common.errors.ApiException e.g. ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
     *         FENCED_INSTANCE_ID, REBALANCE_IN_PROGRESS, STALE_MEMBER_EPOCH, COORDINATOR_NOT_AVAILABLE (dead group)
     */
    void validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch,
                              boolean isTransactional, short apiVersion);

    /**
     * Checks that a member may fetch offsets (OffsetFetch v9+ carries member id and epoch; KIP-848 groups check them).
     * Classic groups accept every fetch.
     *
     * @param memberId    null when the request carries none
     * @param memberEpoch -1 when the request carries none
     */
    default void validateOffsetFetch(String memberId, int memberEpoch) {
    }

    /** Checks that offsets may be deleted (OffsetDelete); throws GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP. */
    void validateOffsetDelete();

    /** Checks that the group may be deleted (DeleteGroups); throws GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP. */
    void validateDeleteGroup();

    /** True when a member subscribes to {@code topic} (OffsetDelete answers GROUP_SUBSCRIBED_TO_TOPIC). */
    boolean isSubscribedToTopic(String topic);

    /**
     * When the group's committed offsets start to age: the time (ms) it became empty while it is empty; empty while
     * it has members (no offset expires then, except as {@link #isSubscribedToTopic} allows).
     */
    OptionalLong emptySinceMs();
}
