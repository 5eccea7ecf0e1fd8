package io.samsa.coordinator.group.classic;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.runtime.CoordinatorTimer;
import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.GroupConfig;
import io.samsa.coordinator.group.GroupCoordinatorShard;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol on one shard, as Apache Kafka runs it (JoinGroup, the rebalance, timers): MEMBER_ID_REQUIRED
 * on a first join (v4+, KIP-394), generations, the first joined member as leader, protocol selection by vote,
 * {@code group.initial.rebalance.delay.ms} for new groups, {@code rebalance.timeout.ms}, {@code session.timeout.ms}
 * expiry and static membership (KIP-345). SyncGroup, Heartbeat and LeaveGroup are in {@link ClassicMembership}.
 * Assignments are computed by the leader client and passed through as bytes.
 *
 * <p>Not thread-safe: every method runs on the shard's serial executor (timers too).
 */
public final class ClassicGroupManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClassicGroupManager.class);

    final GroupCoordinatorShard shard;
    final GroupConfig config;
    final CoordinatorTimer timer;

    public ClassicGroupManager(GroupCoordinatorShard shard) {
        this.shard = shard;
        this.config = shard.config();
        this.timer = shard.timer();
    }

    /** The classic group {@code groupId}, or null (none, or a KIP-848 group). */
    ClassicGroup classicGroup(String groupId) {
        return shard.group(groupId) instanceof ClassicGroup g ? g : null;
    }

    /** JoinGroup: completes when the rebalance completes, or at once with an error or MEMBER_ID_REQUIRED. */
    public CompletableFuture<JoinGroupResponseData> join(JoinContext ctx, JoinGroupRequestData req) {
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        String memberId = req.memberId() == null ? "" : req.memberId();
        String groupId = req.groupId();
        if (groupId == null || groupId.isEmpty()) {
            return done(ClassicResponses.joinError(memberId, Errors.INVALID_GROUP_ID));
        }
        if (req.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || req.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return done(ClassicResponses.joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
        }
        Group existing = shard.group(groupId);
        if (existing != null && !(existing instanceof ClassicGroup)) {
            return done(ClassicResponses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        ClassicGroup group = (ClassicGroup) existing;
        boolean created = false;
        if (group == null) {
            if (!memberId.isEmpty()) {
                return done(ClassicResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            }
            group = new ClassicGroup(groupId, timer.nowMs());
            shard.putGroup(group);
            created = true;
        }
        List<ClassicGroupMember.Protocol> protocols = req.protocols().stream()
                .map(p -> new ClassicGroupMember.Protocol(p.name(), p.metadata())).toList();
        try {
            if (memberId.isEmpty()) {
                joinUnknown(group, ctx, req, protocols, future);
            } else {
                joinKnown(group, ctx, req, memberId, protocols, future);
            }
        } catch (ApiException e) {
            future.complete(ClassicResponses.joinError(memberId, Errors.forException(e)));
        }
        if (created && group.isEmpty() && group.pendingMembers().isEmpty()
                && !shard.offsets().hasOffsets(groupId)) {
            shard.removeGroup(groupId);
        }
        return future;
    }

    private void joinUnknown(ClassicGroup group, JoinContext ctx, JoinGroupRequestData req,
                             List<ClassicGroupMember.Protocol> protocols,
                             CompletableFuture<JoinGroupResponseData> future) {
        if (group.isInState(ClassicGroupState.DEAD)) {
            throw Errors.COORDINATOR_NOT_AVAILABLE.exception();
        }
        if (!group.supportsProtocols(req.protocolType(), protocols)) {
            throw Errors.INCONSISTENT_GROUP_PROTOCOL.exception();
        }
        String instanceId = req.groupInstanceId();
        String newMemberId = (instanceId != null ? instanceId : ctx.clientId()) + "-" + UUID.randomUUID();
        if (instanceId != null) {
            String oldMemberId = group.staticMemberId(instanceId);
            if (oldMemberId != null) {
                new StaticMemberReplacement(this, group, ctx, req, protocols, oldMemberId, newMemberId, future).run();
                return;
            }
            if (group.size() >= config.maxGroupSize()) {
                throw Errors.GROUP_MAX_SIZE_REACHED.exception();
            }
            addMemberAndRebalance(group, ctx, req, protocols, newMemberId, future);
        } else if (ctx.apiVersion() >= 4) {
            if (group.size() + group.pendingMembers().size() >= config.maxGroupSize()) {
                throw Errors.GROUP_MAX_SIZE_REACHED.exception();
            }
            group.pendingMembers().add(newMemberId);
            timer.schedule(ClassicTimerKeys.pending(group, newMemberId), req.sessionTimeoutMs(),
                    () -> onPendingMemberExpired(group.groupId(), newMemberId));
            future.complete(ClassicResponses.joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            if (group.size() >= config.maxGroupSize()) {
                throw Errors.GROUP_MAX_SIZE_REACHED.exception();
            }
            addMemberAndRebalance(group, ctx, req, protocols, newMemberId, future);
        }
    }

    private void joinKnown(ClassicGroup group, JoinContext ctx, JoinGroupRequestData req, String memberId,
                           List<ClassicGroupMember.Protocol> protocols,
                           CompletableFuture<JoinGroupResponseData> future) {
        if (group.isInState(ClassicGroupState.DEAD)) {
            throw Errors.COORDINATOR_NOT_AVAILABLE.exception();
        }
        if (!group.supportsProtocols(req.protocolType(), protocols)) {
            throw Errors.INCONSISTENT_GROUP_PROTOCOL.exception();
        }
        if (group.pendingMembers().contains(memberId)) {
            timer.cancel(ClassicTimerKeys.pending(group, memberId));
            addMemberAndRebalance(group, ctx, req, protocols, memberId, future);
            return;
        }
        group.validateMember(memberId, req.groupInstanceId(), "join-group");
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, ctx, req, protocols, future);
            case COMPLETING_REBALANCE -> {
                if (member.matches(protocols)) {
                    future.complete(ClassicResponses.join(group, memberId, group.isLeader(memberId)));
                } else {
                    updateMemberAndRebalance(group, member, ctx, req, protocols, future);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(protocols)) {
                    updateMemberAndRebalance(group, member, ctx, req, protocols, future);
                } else {
                    scheduleSessionTimeout(group, member);
                    future.complete(ClassicResponses.join(group, memberId, false));
                }
            }
            case EMPTY, DEAD -> throw Errors.UNKNOWN_MEMBER_ID.exception();
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, JoinContext ctx, JoinGroupRequestData req,
                                       List<ClassicGroupMember.Protocol> protocols, String memberId,
                                       CompletableFuture<JoinGroupResponseData> future) {
        ClassicGroupMember member = new ClassicGroupMember(memberId, req.groupInstanceId(), ctx.clientId(),
                ctx.clientHost(), rebalanceTimeout(req), req.sessionTimeoutMs(), req.protocolType(), protocols);
        member.setNew(true);
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.generationId() == 0) {
            group.setNewMemberAdded(true);
        }
        group.addMember(member);
        member.setAwaitingJoin(future);
        scheduleSessionTimeout(group, member);
        LOGGER.debug("Member {} joins group {} (state {})", memberId, group.groupId(), group.state());
        maybePrepareRebalance(group, "member " + memberId + " joined");
    }

    private void updateMemberAndRebalance(ClassicGroup group, ClassicGroupMember member, JoinContext ctx,
                                          JoinGroupRequestData req, List<ClassicGroupMember.Protocol> protocols,
                                          CompletableFuture<JoinGroupResponseData> future) {
        member.update(ctx.clientId(), ctx.clientHost(), rebalanceTimeout(req), req.sessionTimeoutMs(),
                req.protocolType(), protocols);
        CompletableFuture<JoinGroupResponseData> previous = member.awaitingJoin();
        if (previous != null) {
            previous.complete(ClassicResponses.joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        }
        member.setAwaitingJoin(future);
        maybePrepareRebalance(group, "member " + member.memberId() + " rejoined");
    }

    static int rebalanceTimeout(JoinGroupRequestData req) {
        return req.rebalanceTimeoutMs() < 0 ? req.sessionTimeoutMs() : req.rebalanceTimeoutMs();
    }

    /** Starts a rebalance unless one is under way; else checks whether the one under way can complete. */
    void maybePrepareRebalance(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE, EMPTY -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            case DEAD -> { }
        }
    }

    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isInState(ClassicGroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentWithError(group, Errors.REBALANCE_IN_PROGRESS);
        }
        timer.cancel(ClassicTimerKeys.sync(group));
        boolean initial = group.isInState(ClassicGroupState.EMPTY);
        int rebalanceTimeout = group.maxRebalanceTimeoutMs();
        group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, timer.nowMs());
        LOGGER.info("Preparing to rebalance group {} in state {} with old generation {}: {}", group.groupId(),
                group.state(), group.generationId(), reason);
        if (initial && config.initialRebalanceDelayMs() > 0) {
            int delay = Math.min(config.initialRebalanceDelayMs(), rebalanceTimeout);
            scheduleInitialJoin(group, delay, rebalanceTimeout - delay);
        } else {
            timer.schedule(ClassicTimerKeys.join(group), rebalanceTimeout, () -> completeJoin(group.groupId()));
            tryCompleteJoin(group);
        }
    }

    /** Kafka's InitialDelayedJoin: wait, and wait again (within the rebalance timeout) while members keep coming. */
    private void scheduleInitialJoin(ClassicGroup group, int delayMs, int remainingMs) {
        group.setNewMemberAdded(false);
        timer.schedule(ClassicTimerKeys.initialJoin(group), delayMs, () -> {
            ClassicGroup g = classicGroup(group.groupId());
            if (g != group || !g.isInState(ClassicGroupState.PREPARING_REBALANCE)) {
                return;
            }
            if (g.newMemberAdded() && remainingMs > 0) {
                int next = Math.min(config.initialRebalanceDelayMs(), remainingMs);
                scheduleInitialJoin(g, next, remainingMs - next);
            } else {
                completeJoin(g.groupId());
            }
        });
    }

    /** Completes the join phase now if every member has rejoined (and no initial delay is running). */
    void tryCompleteJoin(ClassicGroup group) {
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()
                && !timer.isScheduled(ClassicTimerKeys.initialJoin(group))) {
            completeJoin(group.groupId());
        }
    }

    /** The join phase ends: members that did not rejoin leave; the next generation starts (or the group empties). */
    void completeJoin(String groupId) {
        ClassicGroup group = classicGroup(groupId);
        if (group == null || !group.isInState(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        timer.cancel(ClassicTimerKeys.join(group));
        timer.cancel(ClassicTimerKeys.initialJoin(group));
        for (ClassicGroupMember m : List.copyOf(group.members())) {
            if (!m.isAwaitingJoin()) {
                LOGGER.info("Member {} of group {} did not rejoin within the rebalance timeout; removed",
                        m.memberId(), groupId);
                removeMember(group, m);
            }
        }
        group.nextGeneration();
        if (group.isEmpty()) {
            group.setProtocolName(null);
            group.setLeaderId(null);
            group.transitionTo(ClassicGroupState.EMPTY, timer.nowMs());
            LOGGER.info("Group {} with generation {} is now empty", groupId, group.generationId());
            persistQuietly(group);
            return;
        }
        group.setProtocolName(group.selectProtocol());
        if (group.leaderId() == null || !group.hasMember(group.leaderId())) {
            group.setLeaderId(group.members().iterator().next().memberId());
        }
        group.transitionTo(ClassicGroupState.COMPLETING_REBALANCE, timer.nowMs());
        LOGGER.info("Stabilized group {} generation {} with {} members, protocol {}", groupId,
                group.generationId(), group.size(), group.protocolName());
        group.pendingSyncMembers().clear();
        for (ClassicGroupMember m : group.members()) {
            group.pendingSyncMembers().add(m.memberId());
            CompletableFuture<JoinGroupResponseData> f = m.awaitingJoin();
            m.setAwaitingJoin(null);
            m.setNew(false);
            scheduleSessionTimeout(group, m);
            f.complete(ClassicResponses.join(group, m.memberId(), group.isLeader(m.memberId())));
        }
        int generation = group.generationId();
        timer.schedule(ClassicTimerKeys.sync(group), group.maxRebalanceTimeoutMs(), () -> onSyncTimeout(groupId, generation));
    }

    private void onSyncTimeout(String groupId, int generation) {
        ClassicGroup group = classicGroup(groupId);
        if (group == null || group.generationId() != generation || group.pendingSyncMembers().isEmpty()
                || !(group.isInState(ClassicGroupState.COMPLETING_REBALANCE)
                || group.isInState(ClassicGroupState.STABLE))) {
            return;
        }
        for (String id : List.copyOf(group.pendingSyncMembers())) {
            ClassicGroupMember m = group.member(id);
            if (m != null) {
                LOGGER.info("Member {} of group {} did not sync within the rebalance timeout; removed", id, groupId);
                removeMember(group, m);
            }
        }
        maybePrepareRebalance(group, "members did not sync in time");
    }

    /** Clears every assignment and fails parked SyncGroups (a rebalance restarts while completing). */
    void resetAndPropagateAssignmentWithError(ClassicGroup group, Errors error) {
        for (ClassicGroupMember m : group.members()) {
            m.setAssignment(null);
            CompletableFuture<SyncGroupResponseData> f = m.awaitingSync();
            if (f != null) {
                m.setAwaitingSync(null);
                f.complete(ClassicResponses.syncError(error));
            }
        }
    }

    /** Removes a member: its timers stop and its parked requests get UNKNOWN_MEMBER_ID. */
    void removeMember(ClassicGroup group, ClassicGroupMember m) {
        timer.cancel(ClassicTimerKeys.session(group, m.memberId()));
        if (m.awaitingJoin() != null) {
            m.awaitingJoin().complete(ClassicResponses.joinError(m.memberId(), Errors.UNKNOWN_MEMBER_ID));
            m.setAwaitingJoin(null);
        }
        if (m.awaitingSync() != null) {
            m.awaitingSync().complete(ClassicResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            m.setAwaitingSync(null);
        }
        group.removeMember(m.memberId());
    }

    /** Removes a member and moves the group on: a rebalance, or the end of the one under way. */
    void removeMemberAndUpdateGroup(ClassicGroup group, ClassicGroupMember m, String reason) {
        removeMember(group, m);
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            case EMPTY, DEAD -> { }
        }
    }

    /** (Re)starts a member's session timer. A member with a parked join or sync is alive; it is checked again. */
    void scheduleSessionTimeout(ClassicGroup group, ClassicGroupMember member) {
        String memberId = member.memberId();
        timer.schedule(ClassicTimerKeys.session(group, memberId), member.sessionTimeoutMs(), () -> {
            ClassicGroup g = classicGroup(group.groupId());
            ClassicGroupMember m = g == null ? null : g.member(memberId);
            if (m == null) {
                return;
            }
            if (m.isAwaitingJoin() || m.isAwaitingSync()) {
                scheduleSessionTimeout(g, m);
                return;
            }
            LOGGER.info("Member {} of group {} has failed (session timeout {} ms); removed", memberId,
                    g.groupId(), m.sessionTimeoutMs());
            removeMemberAndUpdateGroup(g, m, "member " + memberId + " session expired");
        });
    }

    private void onPendingMemberExpired(String groupId, String memberId) {
        ClassicGroup group = classicGroup(groupId);
        if (group != null && group.pendingMembers().remove(memberId)) {
            tryCompleteJoin(group);
        }
    }

    /** Appends the group's metadata record; on failure logs (the group stays, as Kafka's empty-group write does). */
    void persistQuietly(ClassicGroup group) {
        try {
            shard.append(List.of(new GroupMetadataRecord(group.groupId(), group.toRecordValue())));
        } catch (RuntimeException e) {
            LOGGER.warn("Could not write the metadata of group {}: {}", group.groupId(),
                    CoordinatorErrors.message(e));
        }
    }

    /**
     * Answers every parked JoinGroup and SyncGroup with {@code error} (NOT_COORDINATOR when the shard is unloaded or
     * the broker stops), so that clients look the coordinator up again instead of waiting for their request timeout.
     */
    public void failParkedRequests(Errors error) {
        for (Group g : List.copyOf(shard.groups())) {
            if (g instanceof ClassicGroup group) {
                for (ClassicGroupMember m : group.members()) {
                    CompletableFuture<JoinGroupResponseData> join = m.awaitingJoin();
                    if (join != null) {
                        m.setAwaitingJoin(null);
                        join.complete(ClassicResponses.joinError(m.memberId(), error));
                    }
                    CompletableFuture<SyncGroupResponseData> sync = m.awaitingSync();
                    if (sync != null) {
                        m.setAwaitingSync(null);
                        sync.complete(ClassicResponses.syncError(error));
                    }
                }
            }
        }
    }

    /** Called after the shard loaded: restored members get a full session to rejoin or heartbeat. */
    public void onLoaded() {
        for (Group g : List.copyOf(shard.groups())) {
            if (g instanceof ClassicGroup group) {
                group.members().forEach(m -> scheduleSessionTimeout(group, m));
            }
        }
    }

    private static CompletableFuture<JoinGroupResponseData> done(JoinGroupResponseData r) {
        return CompletableFuture.completedFuture(r);
    }
}
