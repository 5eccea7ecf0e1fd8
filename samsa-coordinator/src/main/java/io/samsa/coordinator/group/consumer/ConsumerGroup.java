package io.samsa.coordinator.group.consumer;

import io.samsa.coordinator.group.Group;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A KIP-848 consumer group: its group epoch, target assignment (epoch and per-member partitions), members with their
 * epochs and current assignments, and which member epoch holds each partition. Built only by replaying
 * {@link ConsumerGroupRecord}s ({@link #replay}), live or on load, so the log and the memory never disagree.
 *
 * <p>States (ListGroups/ConsumerGroupDescribe): {@code Empty} (no members), {@code Assigning} (group epoch ahead of
 * the target assignment epoch), {@code Reconciling} (some member not yet at the target), {@code Stable}.
 *
 * <p>Not thread-safe: owned by its coordinator shard and touched only on the shard's serial executor.
 */
public final class ConsumerGroup implements Group {
    /** The states of a consumer group, named as Kafka's {@code ConsumerGroupState}. */
    public enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable");

        private final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    private final String groupId;
    private int groupEpoch;
    private long metadataHash;
    private int assignmentEpoch;
    private final Map<String, ConsumerGroupMember> members = new HashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<String, Assignment> targets = new HashMap<>();
    private final Map<UUID, Map<Integer, Integer>> partitionEpochs = new HashMap<>();
    private long emptySinceMs;
    private Subscriptions.Resolved resolved;
    private Predicate<String> regexTopicFilter = Subscriptions.ALL_TOPICS;

    public ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    /** Applies one record of this group (live after a successful append, or while loading). */
    public void replay(ConsumerGroupRecord record, long nowMs) {
        if (emptySinceMs == 0) {
            emptySinceMs = nowMs;
        }
        boolean wasEmpty = members.isEmpty();
        switch (record) {
            case ConsumerGroupRecord.GroupEpoch r -> {
                if (r.value() != null) {
                    groupEpoch = r.value().epoch();
                    metadataHash = r.value().metadataHash();
                }
            }
            case ConsumerGroupRecord.MemberMetadata r -> {
                if (r.value() == null) {
                    removeMember(r.memberId());
                } else {
                    ConsumerGroupRecord.MemberMetadata.Value v = r.value();
                    ConsumerGroupMember old = members.getOrDefault(r.memberId(),
                            ConsumerGroupMember.joining(r.memberId()));
                    putMember(old.withMetadata(v.instanceId(), v.rackId(), v.clientId(), v.clientHost(),
                            v.rebalanceTimeoutMs(), v.topicNames(), v.regex(), v.serverAssignor()));
                    resolved = null;
                }
            }
            case ConsumerGroupRecord.TargetAssignment r -> {
                if (r.value() == null) {
                    targets.remove(r.memberId());
                } else {
                    targets.put(r.memberId(), r.value());
                }
            }
            case ConsumerGroupRecord.TargetAssignmentEpoch r -> assignmentEpoch = r.value() == null ? 0 : r.value();
            case ConsumerGroupRecord.CurrentAssignment r -> {
                if (r.value() == null && !members.containsKey(r.memberId())) {
                    break;
                }
                ConsumerGroupMember old = members.getOrDefault(r.memberId(),
                        ConsumerGroupMember.joining(r.memberId()));
                ConsumerGroupRecord.CurrentAssignment.Value v = r.value() == null
                        ? new ConsumerGroupRecord.CurrentAssignment.Value(0, 0, MemberState.STABLE, Assignment.EMPTY,
                        Assignment.EMPTY)
                        : r.value();
                putMember(old.withEpochs(v.memberEpoch(), v.previousMemberEpoch(), v.state(), v.assigned(),
                        v.pendingRevocation()));
            }
        }
        if (!wasEmpty && members.isEmpty()) {
            emptySinceMs = nowMs;
        }
    }

    private void putMember(ConsumerGroupMember member) {
        ConsumerGroupMember old = members.put(member.memberId(), member);
        if (old != null) {
            releaseEpochs(old);
            if (old.instanceId() != null && !old.instanceId().equals(member.instanceId())) {
                staticMembers.remove(old.instanceId(), old.memberId());
            }
        }
        if (member.instanceId() != null) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
        holdEpochs(member);
    }

    private void removeMember(String memberId) {
        ConsumerGroupMember old = members.remove(memberId);
        if (old != null) {
            releaseEpochs(old);
            if (old.instanceId() != null) {
                staticMembers.remove(old.instanceId(), memberId);
            }
            resolved = null;
        }
    }

    private void holdEpochs(ConsumerGroupMember m) {
        m.assigned().union(m.pendingRevocation()).partitions().forEach((topic, ps) -> {
            Map<Integer, Integer> epochs = partitionEpochs.computeIfAbsent(topic, k -> new HashMap<>());
            ps.forEach(p -> epochs.put(p, m.memberEpoch()));
        });
    }

    private void releaseEpochs(ConsumerGroupMember m) {
        m.assigned().union(m.pendingRevocation()).partitions().forEach((topic, ps) -> {
            Map<Integer, Integer> epochs = partitionEpochs.get(topic);
            if (epochs != null) {
                ps.forEach(p -> epochs.remove(p, m.memberEpoch()));
                if (epochs.isEmpty()) {
                    partitionEpochs.remove(topic);
                }
            }
        });
    }

    /** The epoch of the member holding a partition (assigned or pending revocation), or -1 when free. */
    public int partitionEpoch(UUID topicId, int partition) {
        Map<Integer, Integer> epochs = partitionEpochs.get(topicId);
        return epochs == null ? -1 : epochs.getOrDefault(partition, -1);
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    /** Hash of the subscribed topics' names, ids and partition counts at the last group epoch bump. */
    public long metadataHash() {
        return metadataHash;
    }

    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    public ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    public Collection<ConsumerGroupMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    public int size() {
        return members.size();
    }

    /** The member id of the static member with this instance id, or null. */
    public String staticMemberId(String instanceId) {
        return staticMembers.get(instanceId);
    }

    /** A member's target assignment (empty when it has none). */
    public Assignment target(String memberId) {
        return targets.getOrDefault(memberId, Assignment.EMPTY);
    }

    /** The topics the members subscribe to, resolved at the last metadata check; null when it must be recomputed. */
    Subscriptions.Resolved resolved() {
        return resolved;
    }

    void resolved(Subscriptions.Resolved value) {
        this.resolved = value;
    }

    /**
     * Which topics a regex subscription may resolve to: the DESCRIBE check of the member that heartbeated last (Kafka's
     * {@code TopicRegexResolver} authorizes with the context of the heartbeat that refreshes the regexes). In memory
     * only: after a reload every topic passes until the next heartbeat sets it again.
     */
    Predicate<String> regexTopicFilter() {
        return regexTopicFilter;
    }

    void regexTopicFilter(Predicate<String> filter) {
        this.regexTopicFilter = filter;
    }

    public State state() {
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerGroupMember m : members.values()) {
            if (m.memberEpoch() != assignmentEpoch || m.state() != MemberState.STABLE) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    /** The {@code __consumer_offsets} records that delete this group's KIP-848 state (DeleteGroups). */
    public java.util.List<io.samsa.coordinator.group.record.CoordinatorRecord> tombstoneRecords() {
        return tombstones().stream().<io.samsa.coordinator.group.record.CoordinatorRecord>map(
                ConsumerGroupRecordCodec::encode).toList();
    }

    /** The records that delete this group (DeleteGroups on an empty group, or before a classic group takes its id). */
    public java.util.List<ConsumerGroupRecord> tombstones() {
        java.util.List<ConsumerGroupRecord> out = new java.util.ArrayList<>();
        for (String id : members.keySet()) {
            out.add(new ConsumerGroupRecord.CurrentAssignment(groupId, id, null));
            out.add(new ConsumerGroupRecord.TargetAssignment(groupId, id, null));
            out.add(new ConsumerGroupRecord.MemberMetadata(groupId, id, null));
        }
        out.add(new ConsumerGroupRecord.TargetAssignmentEpoch(groupId, null));
        out.add(new ConsumerGroupRecord.GroupEpoch(groupId, null));
        return out;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String stateName() {
        return state().displayName();
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * Kafka's {@code ConsumerGroup.validateOffsetCommit}: an admin or standalone commit (epoch &lt; 0) passes only while
     * the group is empty; otherwise the member must exist (UNKNOWN_MEMBER_ID), use OffsetCommit v9+
     * (UNSUPPORTED_VERSION) and send its current member epoch (STALE_MEMBER_EPOCH).
     */
    @Override
    public void validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch,
                                     boolean isTransactional, short apiVersion) {
        if (generationIdOrMemberEpoch < 0 && members.isEmpty()) {
            return;
        }
        ConsumerGroupMember member = requireMember(memberId);
        if (!isTransactional && apiVersion < 9) {
            throw new UnsupportedVersionException(
                    "OffsetCommit version 9 or above must be used by members using the modern group protocol");
        }
        checkEpoch(member, generationIdOrMemberEpoch);
    }

    /** Kafka's {@code validateOffsetFetch}: no member id and epoch &lt; 0 passes; otherwise member and epoch must match. */
    @Override
    public void validateOffsetFetch(String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return;
        }
        checkEpoch(requireMember(memberId), memberEpoch);
    }

    private ConsumerGroupMember requireMember(String memberId) {
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            throw new UnknownMemberIdException("Member " + memberId + " is not a member of group " + groupId + ".");
        }
        return member;
    }

    private static void checkEpoch(ConsumerGroupMember member, int epoch) {
        if (epoch != member.memberEpoch()) {
            throw new StaleMemberEpochException("The received member epoch " + epoch
                    + " does not match the expected member epoch " + member.memberEpoch() + ".");
        }
    }

    @Override
    public void validateOffsetDelete() {
    }

    @Override
    public void validateDeleteGroup() {
        if (!members.isEmpty()) {
            throw Errors.NON_EMPTY_GROUP.exception();
        }
    }

    @Override
    public boolean isSubscribedToTopic(String topic) {
        if (resolved != null) {
            return resolved.topicNames().contains(topic);
        }
        Set<String> names = new HashSet<>();
        members.values().forEach(m -> names.addAll(m.subscribedTopicNames()));
        return names.contains(topic);
    }

    @Override
    public OptionalLong emptySinceMs() {
        return members.isEmpty() ? OptionalLong.of(emptySinceMs) : OptionalLong.empty();
    }
}
