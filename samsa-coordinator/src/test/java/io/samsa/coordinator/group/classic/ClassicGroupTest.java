package io.samsa.coordinator.group.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.coordinator.group.GroupConfig;
import io.samsa.coordinator.group.OffsetManager;
import io.samsa.coordinator.group.OffsetManager.OffsetToCommit;
import io.samsa.coordinator.group.TestShards;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The classic group state machine on a manual clock: joins, generations, leader, timeouts, static members. */
class ClassicGroupTest {
    static final String G = "g";
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final JoinContext V9 = new JoinContext("client", "/127.0.0.1", (short) 9);

    TestShards t = new TestShards(GroupConfig.defaults(0));
    ClassicGroupManager manager = new ClassicGroupManager(t.shard);
    ClassicMembership membership = new ClassicMembership(manager);

    static JoinGroupRequestData joinReq(String memberId, String instanceId, byte[] metadata) {
        return new JoinGroupRequestData().setGroupId(G).setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(30_000).setProtocolType("consumer")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(metadata))
                        .iterator()));
    }

    CompletableFuture<JoinGroupResponseData> join(String memberId) {
        return manager.join(V9, joinReq(memberId, null, new byte[] {1}));
    }

    /** MEMBER_ID_REQUIRED, then a join with the given id; returns the parked or completed join. */
    CompletableFuture<JoinGroupResponseData> newMember() {
        JoinGroupResponseData first = join("").join();
        assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        return join(first.memberId());
    }

    SyncGroupResponseData sync(String memberId, int generation, List<String> assignees) {
        return membership.sync(new SyncGroupRequestData().setGroupId(G).setMemberId(memberId)
                .setGenerationId(generation).setAssignments(assignees.stream().map(m ->
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(m)
                                .setAssignment(("for-" + m).getBytes())).toList())).join();
    }

    Errors heartbeat(String memberId, int generation) {
        return Errors.forCode(membership.heartbeat(new HeartbeatRequestData().setGroupId(G).setMemberId(memberId)
                .setGenerationId(generation)).errorCode());
    }

    ClassicGroup group() {
        return (ClassicGroup) t.shard.group(G);
    }

    @Test
    void firstMemberLeadsGenerationOneAndGetsItsAssignmentAfterTheWrite() {
        JoinGroupResponseData joined = newMember().join();
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(joined.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).hasSize(1);
        assertThat(group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);

        SyncGroupResponseData synced = sync(joined.memberId(), 1, List.of(joined.memberId()));

        assertThat(synced.errorCode()).isZero();
        assertThat(synced.assignment()).isEqualTo(("for-" + joined.memberId()).getBytes());
        assertThat(group().state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(t.log).singleElement().isInstanceOf(GroupMetadataRecord.class);
    }

    @Test
    void transactionalCommitsOfAMemberAreCheckedAsKafkaDoes() {
        JoinGroupResponseData joined = newMember().join();
        String member = joined.memberId();
        OffsetManager offsets = new OffsetManager(t.shard);
        Function<Integer, Object> txnCommit = generation -> offsets.commitTransactional(G, member, null, generation,
                (short) 3, 9, (short) 0, List.of(new OffsetToCommit(TP, 1, -1, "", -1)));

        // completing the rebalance: a plain commit is refused, a transactional one is not (Kafka's rule)
        assertThat(group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        assertThatThrownBy(() -> offsets.commit(G, member, null, 1, (short) 8, List.of()))
                .isInstanceOf(RebalanceInProgressException.class);
        assertThat(txnCommit.apply(1)).isEqualTo(Map.of(TP, Errors.NONE));
        assertThatThrownBy(() -> txnCommit.apply(0)).isInstanceOf(IllegalGenerationException.class);
        // a v0-2 transactional commit carries no member: accepted although the group has members
        assertThat(offsets.commitTransactional(G, "", null, -1, (short) 2, 9, (short) 0, List.of())).isEmpty();
    }

    @Test
    void aSecondMemberTriggersARebalanceAndTheLeaderGetsBothMembers() {
        String a = newMember().join().memberId();
        sync(a, 1, List.of(a));
        CompletableFuture<JoinGroupResponseData> b = newMember();
        assertThat(b).isNotDone();
        assertThat(group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(heartbeat(a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        JoinGroupResponseData leader = join(a).join();

        assertThat(b).isCompleted();
        assertThat(leader.generationId()).isEqualTo(2).isEqualTo(b.join().generationId());
        assertThat(leader.leader()).isEqualTo(a);
        assertThat(leader.members()).hasSize(2);
        assertThat(b.join().members()).isEmpty();
        String bId = b.join().memberId();
        CompletableFuture<SyncGroupResponseData> followerSync = membership.sync(new SyncGroupRequestData()
                .setGroupId(G).setMemberId(bId).setGenerationId(2));
        assertThat(followerSync).isNotDone();
        sync(a, 2, List.of(a, bId));
        assertThat(followerSync.join().assignment()).isEqualTo(("for-" + bId).getBytes());
        assertThat(heartbeat(bId, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(heartbeat("nobody", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberWhoseSessionExpiresIsRemovedAndTheGroupRebalances() {
        String a = newMember().join().memberId();
        sync(a, 1, List.of(a));
        CompletableFuture<JoinGroupResponseData> b = newMember();
        join(a).join();
        String bId = b.join().memberId();
        sync(a, 2, List.of(a, bId));
        sync(bId, 2, List.of());

        t.timer.advance(9_000);
        assertThat(heartbeat(a, 2)).isEqualTo(Errors.NONE);
        t.timer.advance(2_000); // b: 11 s without a heartbeat, session 10 s

        assertThat(group().hasMember(bId)).isFalse();
        assertThat(group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(join(a).join().generationId()).isEqualTo(3);
    }

    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsRemoved() {
        String a = newMember().join().memberId();
        sync(a, 1, List.of(a));
        CompletableFuture<JoinGroupResponseData> b = newMember();
        join(a).join();
        String bId = b.join().memberId();
        sync(a, 2, List.of(a, bId));
        sync(bId, 2, List.of());
        // a third member starts a rebalance; b keeps heartbeating but never rejoins
        CompletableFuture<JoinGroupResponseData> c = newMember();
        CompletableFuture<JoinGroupResponseData> aAgain = join(a);
        for (int i = 0; i < 7; i++) {
            t.timer.advance(5_000);
            heartbeat(bId, 2);
        }
        assertThat(aAgain).isCompleted();
        assertThat(aAgain.join().generationId()).isEqualTo(3);
        assertThat(aAgain.join().members()).hasSize(2);
        assertThat(c.join().errorCode()).isZero();
        assertThat(group().hasMember(bId)).isFalse();
    }

    @Test
    void aStaticMemberRejoiningWithANewIdReplacesTheOldWithoutARebalance() {
        JoinGroupResponseData first = manager.join(V9, joinReq("", "instance-1", new byte[] {1})).join();
        assertThat(first.errorCode()).isZero();
        String oldId = first.memberId();
        sync(oldId, 1, List.of(oldId));

        JoinGroupResponseData again = manager.join(V9, joinReq("", "instance-1", new byte[] {1})).join();

        assertThat(again.errorCode()).isZero();
        assertThat(again.memberId()).isNotEqualTo(oldId);
        assertThat(again.generationId()).isEqualTo(1);
        assertThat(again.skipAssignment()).isTrue();
        assertThat(group().state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(group().member(again.memberId()).assignment()).isEqualTo(("for-" + oldId).getBytes());
        assertThat(Errors.forCode(membership.heartbeat(new HeartbeatRequestData().setGroupId(G).setMemberId(oldId)
                .setGroupInstanceId("instance-1").setGenerationId(1)).errorCode()))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(heartbeat(again.memberId(), 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void theInitialDelayWaitsForMoreMembersOfANewGroup() {
        TestShards delayed = new TestShards(GroupConfig.defaults(3000));
        ClassicGroupManager m = new ClassicGroupManager(delayed.shard);
        String a = m.join(V9, joinReq("", null, new byte[] {1})).join().memberId();
        CompletableFuture<JoinGroupResponseData> ja = m.join(V9, joinReq(a, null, new byte[] {1}));
        delayed.timer.advance(2_000);
        String b = m.join(V9, joinReq("", null, new byte[] {1})).join().memberId();
        CompletableFuture<JoinGroupResponseData> jb = m.join(V9, joinReq(b, null, new byte[] {1}));
        assertThat(ja).isNotDone();
        delayed.timer.advance(1_000);
        assertThat(ja).isNotDone(); // a new member arrived during the delay: wait once more
        delayed.timer.advance(3_000);
        assertThat(ja.join().generationId()).isEqualTo(1).isEqualTo(jb.join().generationId());
        assertThat(ja.join().members()).hasSize(2);
    }

    @Test
    void aFailedAssignmentWriteFailsTheSyncAndRestartsTheRebalance() {
        String a = newMember().join().memberId();
        t.failAppends = true;
        SyncGroupResponseData synced = sync(a, 1, List.of(a));
        assertThat(synced.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(group().member(a).assignment()).isEmpty();
        t.failAppends = false;
        assertThat(join(a).join().generationId()).isEqualTo(2);
    }

    @Test
    void leavingEmptiesTheGroupAndUnknownMembersAreReported() {
        String a = newMember().join().memberId();
        sync(a, 1, List.of(a));
        var response = membership.leave(new LeaveGroupRequestData().setGroupId(G).setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(a),
                new LeaveGroupRequestData.MemberIdentity().setMemberId("ghost"))), (short) 5);
        assertThat(response.members()).extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
        assertThat(group().state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(group().generationId()).isEqualTo(2);
    }

    @Test
    void sessionTimeoutsOutsideTheBrokerBoundsAreRefused() {
        JoinGroupResponseData r = manager.join(V9, joinReq("", null, new byte[0]).setSessionTimeoutMs(10)).join();
        assertThat(r.errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
        JoinGroupResponseData full = new ClassicGroupManager(new TestShards(GroupConfig.defaults(0)
                .withMaxGroupSize(1)).shard).join(V9, joinReq("", null, new byte[0])).join();
        assertThat(full.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
    }

    @Test
    void aRestartedCoordinatorKeepsTheGroupAndItsGeneration() {
        String a = newMember().join().memberId();
        sync(a, 1, List.of(a));
        TestShards restarted = t.reloaded();
        ClassicGroup g = (ClassicGroup) restarted.shard.group(G);
        assertThat(g.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(g.generationId()).isEqualTo(1);
        assertThat(g.member(a).assignment()).isEqualTo(("for-" + a).getBytes());
    }
}
