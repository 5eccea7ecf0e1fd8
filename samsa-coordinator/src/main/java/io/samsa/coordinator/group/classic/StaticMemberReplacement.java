package io.samsa.coordinator.group.classic;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * A static member (KIP-345, {@code group.instance.id}) rejoining with an unknown member id: it takes over the old
 * member's place under a new member id; the old id is fenced (FENCED_INSTANCE_ID). In a Stable group whose selected
 * protocol and metadata are unchanged there is no rebalance: the new id is persisted and the member gets the current
 * generation (a leader gets the member list with SkipAssignment from JoinGroup v9); if the write fails the
 * replacement is undone. Otherwise the group rebalances.
 *
 * <p>Runs on the shard's serial executor; one use per join.
 */
final class StaticMemberReplacement {
    private final ClassicGroupManager manager;
    private final ClassicGroup group;
    private final JoinContext ctx;
    private final JoinGroupRequestData req;
    private final List<ClassicGroupMember.Protocol> protocols;
    private final String oldMemberId;
    private final String newMemberId;
    private final CompletableFuture<JoinGroupResponseData> future;

    StaticMemberReplacement(ClassicGroupManager manager, ClassicGroup group, JoinContext ctx, JoinGroupRequestData req,
                            List<ClassicGroupMember.Protocol> protocols, String oldMemberId, String newMemberId,
                            CompletableFuture<JoinGroupResponseData> future) {
        this.manager = manager;
        this.group = group;
        this.ctx = ctx;
        this.req = req;
        this.protocols = protocols;
        this.oldMemberId = oldMemberId;
        this.newMemberId = newMemberId;
        this.future = future;
    }

    void run() {
        ClassicGroupMember member = group.member(oldMemberId);
        String instanceId = member.groupInstanceId();
        boolean wasLeader = group.isLeader(oldMemberId);
        List<ClassicGroupMember.Protocol> oldProtocols = member.protocols();
        String oldClientId = member.clientId();
        String oldClientHost = member.clientHost();
        int oldRebalanceTimeout = member.rebalanceTimeoutMs();
        int oldSessionTimeout = member.sessionTimeoutMs();

        manager.timer.cancel(ClassicTimerKeys.session(group, oldMemberId));
        fenceParkedRequests(member);
        group.replaceStaticMember(instanceId, newMemberId);
        member.update(ctx.clientId(), ctx.clientHost(), ClassicGroupManager.rebalanceTimeout(req),
                req.sessionTimeoutMs(), req.protocolType(), protocols);

        switch (group.state()) {
            case STABLE -> {
                String selected = group.protocolName();
                boolean unchanged = group.selectProtocol().equals(selected)
                        && Arrays.equals(metadata(oldProtocols, selected), member.metadata(selected));
                if (!unchanged) {
                    member.setAwaitingJoin(future);
                    manager.prepareRebalance(group, "static member " + instanceId + " rejoined with new metadata");
                    return;
                }
                try {
                    manager.shard.append(List.of(new GroupMetadataRecord(group.groupId(), group.toRecordValue())));
                } catch (RuntimeException e) {
                    group.replaceStaticMember(instanceId, oldMemberId);
                    member.update(oldClientId, oldClientHost, oldRebalanceTimeout, oldSessionTimeout,
                            group.protocolType(), oldProtocols);
                    manager.scheduleSessionTimeout(group, member);
                    future.complete(ClassicResponses.joinError("", CoordinatorErrors.toError(e)));
                    return;
                }
                manager.scheduleSessionTimeout(group, member);
                boolean leaderV9 = wasLeader && ctx.apiVersion() >= 9;
                future.complete(ClassicResponses.join(group, newMemberId, leaderV9).setSkipAssignment(leaderV9));
            }
            case COMPLETING_REBALANCE -> {
                member.setAwaitingJoin(future);
                manager.scheduleSessionTimeout(group, member);
                manager.prepareRebalance(group, "static member " + instanceId + " rejoined during a rebalance");
            }
            case PREPARING_REBALANCE -> {
                member.setAwaitingJoin(future);
                manager.scheduleSessionTimeout(group, member);
                manager.tryCompleteJoin(group);
            }
            case EMPTY, DEAD -> throw new IllegalStateException("A static member in an " + group.state() + " group");
        }
    }

    private void fenceParkedRequests(ClassicGroupMember member) {
        CompletableFuture<JoinGroupResponseData> join = member.awaitingJoin();
        if (join != null) {
            member.setAwaitingJoin(null);
            join.complete(ClassicResponses.joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
        }
        CompletableFuture<SyncGroupResponseData> sync = member.awaitingSync();
        if (sync != null) {
            member.setAwaitingSync(null);
            sync.complete(ClassicResponses.syncError(Errors.FENCED_INSTANCE_ID));
        }
    }

    private static byte[] metadata(List<ClassicGroupMember.Protocol> protocols, String name) {
        return protocols.stream().filter(p -> p.name().equals(name)).map(ClassicGroupMember.Protocol::metadata)
                .findFirst().orElse(null);
    }
}
