package io.samsa.coordinator.group.classic;

import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * A group using the classic JoinGroup/SyncGroup protocol: its state ({@link ClassicGroupState}), generation,
 * selected protocol, leader, members, the static members by {@code group.instance.id} (KIP-345) and the members that
 * got MEMBER_ID_REQUIRED and have not joined yet (KIP-394). The protocol itself is in {@link ClassicGroupManager};
 * this class holds the state and answers questions about it.
 *
 * <p>Not thread-safe: owned by its shard.
 */
public final class ClassicGroup implements Group {
    private final String groupId;
    private ClassicGroupState state = ClassicGroupState.EMPTY;
    private long stateSinceMs;
    private String protocolType;
    private String protocolName;
    private int generationId;
    private String leaderId;
    private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private boolean newMemberAdded;

    /** A new empty group (first join, or a simple group's first commit). */
    public ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateSinceMs = nowMs;
    }

    /** Restores a group from its last {@code GroupMetadata} record: Stable with its members, or Empty. */
    public static ClassicGroup fromRecord(String groupId, GroupMetadataRecord.Value value, long nowMs) {
        ClassicGroup g = new ClassicGroup(groupId, value.currentStateTimeMs() > 0 ? value.currentStateTimeMs() : nowMs);
        g.protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
        g.generationId = value.generation();
        g.protocolName = value.protocolName();
        g.leaderId = value.leader();
        for (GroupMetadataRecord.Member m : value.members()) {
            ClassicGroupMember member = new ClassicGroupMember(m.memberId(), m.groupInstanceId(), m.clientId(),
                    m.clientHost(), m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), g.protocolType,
                    List.of(new ClassicGroupMember.Protocol(value.protocolName() == null ? "" : value.protocolName(),
                            m.subscription())));
            member.setAssignment(m.assignment());
            g.members.put(m.memberId(), member);
            if (m.groupInstanceId() != null) {
                g.staticMembers.put(m.groupInstanceId(), m.memberId());
            }
        }
        g.state = g.members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
        return g;
    }

    /** The group as a {@code GroupMetadata} record value. */
    public GroupMetadataRecord.Value toRecordValue() {
        List<GroupMetadataRecord.Member> out = new ArrayList<>(members.size());
        for (ClassicGroupMember m : members.values()) {
            byte[] metadata = protocolName == null ? null : m.metadata(protocolName);
            out.add(new GroupMetadataRecord.Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), metadata, m.assignment()));
        }
        return new GroupMetadataRecord.Value(protocolType, generationId, protocolName, leaderId, stateSinceMs, out);
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CLASSIC;
    }

    public ClassicGroupState state() {
        return state;
    }

    public boolean isInState(ClassicGroupState s) {
        return state == s;
    }

    @Override
    public String stateName() {
        return state.wireName();
    }

    /** Moves to {@code next}; throws IllegalStateException for a transition the state machine forbids. */
    void transitionTo(ClassicGroupState next, long nowMs) {
        if (!state.validNext().contains(next)) {
            throw new IllegalStateException("Group " + groupId + " cannot move from " + state + " to " + next);
        }
        state = next;
        stateSinceMs = nowMs;
    }

    public long stateSinceMs() {
        return stateSinceMs;
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    void setProtocolType(String protocolType) {
        this.protocolType = protocolType;
    }

    /** The selected protocol (assignor), null when none. */
    public String protocolName() {
        return protocolName;
    }

    void setProtocolName(String protocolName) {
        this.protocolName = protocolName;
    }

    public int generationId() {
        return generationId;
    }

    void nextGeneration() {
        generationId++;
    }

    /** The leader's member id, null when none. */
    public String leaderId() {
        return leaderId;
    }

    void setLeaderId(String leaderId) {
        this.leaderId = leaderId;
    }

    public boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    public ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    public Collection<ClassicGroupMember> members() {
        return members.values();
    }

    public int size() {
        return members.size();
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    void addMember(ClassicGroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        pendingMembers.remove(member.memberId());
    }

    void removeMember(String memberId) {
        ClassicGroupMember m = members.remove(memberId);
        if (m != null && m.isStatic()) {
            staticMembers.remove(m.groupInstanceId(), memberId);
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Gives a static member a new member id (KIP-345 replacement); returns the old id. */
    String replaceStaticMember(String groupInstanceId, String newMemberId) {
        String oldId = staticMembers.get(groupInstanceId);
        ClassicGroupMember m = members.remove(oldId);
        m.setMemberId(newMemberId);
        members.put(newMemberId, m);
        staticMembers.put(groupInstanceId, newMemberId);
        if (oldId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return oldId;
    }

    /** The member id of a static member, or null. */
    public String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    Set<String> pendingMembers() {
        return pendingMembers;
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean added) {
        this.newMemberAdded = added;
    }

    /** Members whose JoinGroup is parked. */
    int numAwaitingJoin() {
        return (int) members.values().stream().filter(ClassicGroupMember::isAwaitingJoin).count();
    }

    /** True when every member has rejoined and no MEMBER_ID_REQUIRED member is still expected. */
    boolean hasAllMembersJoined() {
        return numAwaitingJoin() == members.size() && pendingMembers.isEmpty();
    }

    /** The largest rebalance timeout of the members (how long a rebalance waits for rejoins). */
    int maxRebalanceTimeoutMs() {
        return members.values().stream().mapToInt(ClassicGroupMember::rebalanceTimeoutMs).max().orElse(0);
    }

    /**
     * True when a member with this protocol type and these protocols may join: an empty group takes any non-empty
     * type and list; otherwise the type must match and one protocol must be supported by every member.
     */
    boolean supportsProtocols(String type, List<ClassicGroupMember.Protocol> protocols) {
        if (isEmpty()) {
            return type != null && !type.isEmpty() && !protocols.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols();
        return protocols.stream().anyMatch(p -> candidates.contains(p.name()));
    }

    /** Protocol names every member supports, in the first member's preference order. */
    Set<String> candidateProtocols() {
        Set<String> common = null;
        for (ClassicGroupMember m : members.values()) {
            Set<String> names = new LinkedHashSet<>();
            m.protocols().forEach(p -> names.add(p.name()));
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        return common == null ? Set.of() : common;
    }

    /** Kafka's vote: each member votes for its most preferred candidate; the most votes win (ties: earliest). */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("No protocol supported by all members of " + groupId);
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (ClassicGroupMember m : members.values()) {
            m.protocols().stream().map(ClassicGroupMember.Protocol::name).filter(candidates::contains).findFirst()
                    .ifPresent(name -> votes.merge(name, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Throws FENCED_INSTANCE_ID or UNKNOWN_MEMBER_ID when the request's member is not (or no longer) a member. */
    void validateMember(String memberId, String groupInstanceId, String operation) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current != null && !current.equals(memberId)) {
                throw new FencedInstanceIdException("Static member " + groupInstanceId + " of group " + groupId
                        + " now has member id " + current + "; " + memberId + " is fenced (" + operation + ")");
            }
        }
        if (!members.containsKey(memberId)) {
            throw new UnknownMemberIdException("Member " + memberId + " is not in group " + groupId
                    + " (" + operation + ")");
        }
    }

    @Override
    public void validateOffsetCommit(String memberId, String groupInstanceId, int generationId,
                                     boolean isTransactional, short apiVersion) {
        if (state == ClassicGroupState.DEAD) {
            throw new CoordinatorNotAvailableException("Group " + groupId + " is being deleted");
        }
        if (generationId < 0 && state == ClassicGroupState.EMPTY) {
            return; // a simple (standalone) commit: the group has no members
        }
        String member = memberId == null ? "" : memberId;
        if (generationId >= 0 || !member.isEmpty() || groupInstanceId != null) {
            validateMember(member, groupInstanceId, "offset commit");
            if (generationId != this.generationId) {
                throw new IllegalGenerationException("Generation " + generationId + " is not the current generation "
                        + this.generationId + " of group " + groupId);
            }
        } else if (!isTransactional && state != ClassicGroupState.EMPTY) {
            throw new UnknownMemberIdException("Group " + groupId + " has members: a commit needs a member id");
        }
        if (!isTransactional && state == ClassicGroupState.COMPLETING_REBALANCE) {
            // Kafka does not enforce the group state on TxnOffsetCommit
            throw new RebalanceInProgressException("Group " + groupId + " is completing a rebalance");
        }
    }

    @Override
    public void validateOffsetDelete() {
        switch (state) {
            case DEAD -> throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
            case EMPTY -> { }
            default -> {
                if (!"consumer".equals(protocolType)) {
                    throw new GroupNotEmptyException("Group " + groupId + " is not empty");
                }
            }
        }
    }

    @Override
    public void validateDeleteGroup() {
        switch (state) {
            case DEAD -> throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
            case EMPTY -> { }
            default -> throw new GroupNotEmptyException("Group " + groupId + " is not empty");
        }
    }

    /**
     * True when a member's consumer-protocol subscription (for the selected protocol, or any protocol before the
     * first selection) names the topic. Metadata that does not parse as a subscription counts as subscribed.
     */
    @Override
    public boolean isSubscribedToTopic(String topic) {
        if (isEmpty() || !"consumer".equals(protocolType)) {
            return false;
        }
        for (ClassicGroupMember m : members.values()) {
            for (ClassicGroupMember.Protocol p : m.protocols()) {
                if (protocolName != null && !protocolName.equals(p.name())) {
                    continue;
                }
                try {
                    if (ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(p.metadata())).topics()
                            .contains(topic)) {
                        return true;
                    }
                } catch (RuntimeException e) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public OptionalLong emptySinceMs() {
        return state == ClassicGroupState.EMPTY ? OptionalLong.of(stateSinceMs) : OptionalLong.empty();
    }
}
