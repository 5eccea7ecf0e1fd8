package io.samsa.coordinator.group.classic;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyncGroup, Heartbeat and LeaveGroup of classic groups, with Kafka's error codes: UNKNOWN_MEMBER_ID for an unknown
 * group or member, FENCED_INSTANCE_ID for a replaced static member, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS while
 * members are rejoining, INCONSISTENT_GROUP_PROTOCOL (SyncGroup v5 protocol type/name), COORDINATOR_NOT_AVAILABLE for
 * a dead group.
 *
 * <p>The leader's SyncGroup stores every member's assignment, writes the group's metadata record, and only when that
 * append succeeds moves the group to Stable and answers the parked SyncGroups; a failed write fails them and restarts
 * the rebalance.
 *
 * <p>Not thread-safe: runs on the shard's serial executor.
 */
public final class ClassicMembership {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClassicMembership.class);

    private final ClassicGroupManager manager;

    public ClassicMembership(ClassicGroupManager manager) {
        this.manager = manager;
    }

    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData req) {
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        try {
            ClassicGroup group = validated(req.groupId(), req.memberId(), req.groupInstanceId(), req.generationId(),
                    "sync-group");
            if ((req.protocolType() != null && !req.protocolType().equals(group.protocolType()))
                    || (req.protocolName() != null && !req.protocolName().equals(group.protocolName()))) {
                throw Errors.INCONSISTENT_GROUP_PROTOCOL.exception();
            }
            ClassicGroupMember member = group.member(req.memberId());
            switch (group.state()) {
                case EMPTY -> throw Errors.UNKNOWN_MEMBER_ID.exception();
                case PREPARING_REBALANCE -> throw Errors.REBALANCE_IN_PROGRESS.exception();
                case COMPLETING_REBALANCE -> {
                    member.setAwaitingSync(future);
                    group.pendingSyncMembers().remove(member.memberId());
                    manager.scheduleSessionTimeout(group, member);
                    if (group.isLeader(member.memberId())) {
                        completeRebalance(group, req);
                    }
                }
                case STABLE -> {
                    group.pendingSyncMembers().remove(member.memberId());
                    manager.scheduleSessionTimeout(group, member);
                    future.complete(ClassicResponses.sync(group, member));
                }
                case DEAD -> throw Errors.COORDINATOR_NOT_AVAILABLE.exception();
            }
            if (group.pendingSyncMembers().isEmpty()) {
                manager.timer.cancel(ClassicTimerKeys.sync(group));
            }
        } catch (ApiException e) {
            future.complete(ClassicResponses.syncError(Errors.forException(e)));
        }
        return future;
    }

    private void completeRebalance(ClassicGroup group, SyncGroupRequestData req) {
        Map<String, byte[]> assignments = new HashMap<>();
        req.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        for (ClassicGroupMember m : group.members()) {
            m.setAssignment(assignments.get(m.memberId()));
        }
        try {
            manager.shard.append(List.of(new GroupMetadataRecord(group.groupId(), group.toRecordValue())));
        } catch (RuntimeException e) {
            Errors error = CoordinatorErrors.toError(e);
            LOGGER.warn("Could not write the assignment of group {} generation {}: {}", group.groupId(),
                    group.generationId(), CoordinatorErrors.message(e));
            manager.resetAndPropagateAssignmentWithError(group, error);
            manager.prepareRebalance(group, "the assignment could not be written");
            return;
        }
        group.transitionTo(ClassicGroupState.STABLE, manager.timer.nowMs());
        for (ClassicGroupMember m : group.members()) {
            CompletableFuture<SyncGroupResponseData> f = m.awaitingSync();
            if (f != null) {
                m.setAwaitingSync(null);
                f.complete(ClassicResponses.sync(group, m));
            }
        }
        LOGGER.info("Assignment of group {} generation {} received from leader {} for {} members", group.groupId(),
                group.generationId(), group.leaderId(), group.size());
    }

    public HeartbeatResponseData heartbeat(HeartbeatRequestData req) {
        try {
            ClassicGroup group = validated(req.groupId(), req.memberId(), req.groupInstanceId(), req.generationId(),
                    "heartbeat");
            if (group.isInState(ClassicGroupState.EMPTY)) {
                throw Errors.UNKNOWN_MEMBER_ID.exception();
            }
            manager.scheduleSessionTimeout(group, group.member(req.memberId()));
            if (group.isInState(ClassicGroupState.PREPARING_REBALANCE)) {
                throw Errors.REBALANCE_IN_PROGRESS.exception();
            }
            return new HeartbeatResponseData().setErrorCode(Errors.NONE.code());
        } catch (ApiException e) {
            return new HeartbeatResponseData().setErrorCode(Errors.forException(e).code());
        }
    }

    /** Checks group, member and generation; returns the classic group. */
    private ClassicGroup validated(String groupId, String memberId, String instanceId, int generation, String op) {
        ClassicGroup group = manager.classicGroup(groupId);
        if (group == null) {
            throw Errors.UNKNOWN_MEMBER_ID.exception();
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            throw Errors.COORDINATOR_NOT_AVAILABLE.exception();
        }
        group.validateMember(memberId, instanceId, op);
        if (generation != group.generationId()) {
            throw Errors.ILLEGAL_GENERATION.exception();
        }
        return group;
    }

    /**
     * LeaveGroup: v0-2 name one member (the answer is the top-level error), v3+ a batch of members by member id
     * and/or {@code group.instance.id} (KIP-345), each with its own error.
     */
    public LeaveGroupResponseData leave(LeaveGroupRequestData req, short apiVersion) {
        List<LeaveGroupRequestData.MemberIdentity> identities = apiVersion >= 3 ? req.members()
                : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(req.memberId()));
        ClassicGroup group = manager.classicGroup(req.groupId());
        if (group == null) {
            return new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        List<LeaveGroupResponseData.MemberResponse> responses = new ArrayList<>();
        boolean removed = false;
        for (LeaveGroupRequestData.MemberIdentity id : identities) {
            Errors error = leaveOne(group, id);
            removed |= error == Errors.NONE;
            responses.add(new LeaveGroupResponseData.MemberResponse().setMemberId(id.memberId())
                    .setGroupInstanceId(id.groupInstanceId()).setErrorCode(error.code()));
        }
        if (removed) {
            switch (group.state()) {
                case STABLE, COMPLETING_REBALANCE -> manager.prepareRebalance(group, "members left the group");
                case PREPARING_REBALANCE -> manager.tryCompleteJoin(group);
                case EMPTY, DEAD -> { }
            }
        }
        if (apiVersion < 3) {
            return new LeaveGroupResponseData().setErrorCode(responses.getFirst().errorCode());
        }
        return new LeaveGroupResponseData().setErrorCode(Errors.NONE.code()).setMembers(responses);
    }

    private Errors leaveOne(ClassicGroup group, LeaveGroupRequestData.MemberIdentity id) {
        String memberId = id.memberId() == null ? "" : id.memberId();
        if (id.groupInstanceId() == null) {
            if (group.pendingMembers().remove(memberId)) {
                manager.timer.cancel(ClassicTimerKeys.pending(group, memberId));
                return Errors.NONE;
            }
            ClassicGroupMember m = group.member(memberId);
            if (m == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            manager.removeMember(group, m);
            return Errors.NONE;
        }
        String current = group.staticMemberId(id.groupInstanceId());
        if (current == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (!memberId.isEmpty() && !memberId.equals(current)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        manager.removeMember(group, group.member(current));
        return Errors.NONE;
    }
}
