package io.samsa.metadata;

import org.apache.ratis.proto.RaftProtos.CandidateInfoProto;
import org.apache.ratis.proto.RaftProtos.FollowerInfoProto;
import org.apache.ratis.proto.RaftProtos.LeaderInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which leader a voter last followed and when it last heard from it, from Ratis' role info; time passed in (ns). */
class LeaderContactTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long T = 1_000 * SECOND;

    /** Ratis' role info of a follower whose leader is {@code leaderNodeId} (-1: unknown), last RPC that long ago. */
    private static RoleInfoProto follower(int leaderNodeId, long lastRpcElapsedMs) {
        ServerRpcProto.Builder leader = ServerRpcProto.newBuilder().setLastRpcElapsedTimeMs(lastRpcElapsedMs);
        if (leaderNodeId >= 0) {
            leader.setId(RaftPeerProto.newBuilder().setId(RatisSettings.peerId(leaderNodeId).toByteString()));
        }
        return RoleInfoProto.newBuilder().setRole(RaftPeerRole.FOLLOWER)
                .setFollowerInfo(FollowerInfoProto.newBuilder().setLeaderInfo(leader)).build();
    }

    private static BrokerHeartbeats.PreviousLeader heard(int nodeId, long nanos) {
        return new BrokerHeartbeats.PreviousLeader(nodeId, nanos);
    }

    @Test
    void aFollowerKeepsItsLeaderAndWhenItLastHeardFromIt() {
        var contact = new LeaderContact(2);

        contact.sample(follower(1, 300), T);
        contact.sample(follower(1, 100), T + 400 * MS);
        // samples after the leader fell silent: the same last RPC
        contact.sample(follower(1, 500), T + 800 * MS);
        contact.sample(follower(1, 1400), T + 1700 * MS);

        assertThat(contact.take()).contains(heard(1, T + 300 * MS));
        assertThat(contact.take()).as("taken once").isEmpty();
    }

    @Test
    void candidateLeaderAndLeaderlessSamplesChangeNothing() {
        var contact = new LeaderContact(2);
        contact.sample(follower(1, 200), T);

        // When this node stands for election, votes for another candidate (leader unknown), then leads
        contact.sample(RoleInfoProto.newBuilder().setRole(RaftPeerRole.CANDIDATE)
                .setCandidateInfo(CandidateInfoProto.newBuilder().setLastLeaderElapsedTimeMs(50)).build(), T + SECOND);
        contact.sample(follower(-1, 10), T + 2 * SECOND);
        contact.leaderChanged(2);
        contact.sample(RoleInfoProto.newBuilder().setRole(RaftPeerRole.LEADER)
                .setLeaderInfo(LeaderInfoProto.newBuilder().setTerm(3)).build(), T + 3 * SECOND);

        // Then the previous leader is still node 1, last heard before all that
        assertThat(contact.take()).contains(heard(1, T - 200 * MS));
    }

    @Test
    void aNewLeaderForgetsTheOldOnesRecordUntilItIsSampled() {
        var contact = new LeaderContact(2);
        contact.sample(follower(1, 0), T);

        // When node 3 becomes the leader this node follows
        contact.leaderChanged(3);

        // Then node 1's time is not taken for node 3's, nor kept as node 1's
        assertThat(contact.take()).isEmpty();

        // and node 3 has a record from its first sample; a change to the same leader keeps it
        contact.sample(follower(3, 20), T + 500 * MS);
        contact.leaderChanged(3);
        assertThat(contact.take()).contains(heard(3, T + 480 * MS));
    }

    @Test
    void thisNodeIsNeverItsOwnPreviousLeader() {
        var contact = new LeaderContact(2);

        contact.sample(follower(2, 0), T);
        contact.leaderChanged(2);

        assertThat(contact.take()).isEmpty();
    }

    @Test
    void aLeaderThatLedBeforeAndIsTakenOverAgainIsNotReported() {
        // Given node 2 took over from node 1 once
        var contact = new LeaderContact(2);
        contact.sample(follower(1, 0), T);
        contact.leaderChanged(2);
        assertThat(contact.take()).contains(heard(1, T));

        // When it steps down without following anyone and is elected again
        contact.leaderChanged(2);

        // Then it took over from itself: nobody's lease is shortened
        assertThat(contact.take()).isEmpty();
    }
}
