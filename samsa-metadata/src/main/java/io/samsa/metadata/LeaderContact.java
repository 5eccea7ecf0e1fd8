package io.samsa.metadata;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;

import java.util.Optional;

/**
 * Which Raft leader this voter last followed and when it last heard from it, kept for the moment this node becomes
 * the active controller: that leader is then the deposed controller, and its broker's lease starts when it was last
 * heard ({@link BrokerHeartbeats#activate(ClusterImage, long, BrokerHeartbeats.PreviousLeader)}, ADR 0029).
 *
 * <p>Fed by {@link #sample} with Ratis' role info ({@code DivisionInfo#getRoleInfoProto()}): while this node is a
 * follower with a known leader, {@code followerInfo.leaderInfo.lastRpcElapsedTimeMs} is the time since its
 * {@code FollowerState} last saw an RPC (an AppendEntries from the leader, heartbeats included, at least every
 * {@code raft.server.rpc.timeout.min / 2}). Sampled every 100 ms: once the leader has stopped, any sample taken
 * before this node's election (at least {@code raft.server.rpc.timeout.min}, 1 s, later) is exact to the
 * millisecond; while the leader is alive the kept value lags by at most the sampling period. Ratis may also reset
 * that time for a granted vote or a new term, which only makes the kept time later (a longer lease). A candidate or
 * leader sample changes nothing. {@link #leaderChanged} (Ratis' {@code notifyLeaderChanged}) forgets the record
 * of an older leader at once, so a leader known for less than a sampling period leaves no record (no lease is then
 * shortened) rather than a wrong one.
 *
 * <p>Times are {@link System#nanoTime} (the controller's clock). Thread-safe (synchronized): samples on the
 * quorum's executor, leader changes on Ratis threads, {@link #take} on whichever thread activates the controller.
 */
final class LeaderContact {
    private final int selfNodeId;
    private BrokerHeartbeats.PreviousLeader last;

    /** @param selfNodeId this node's id: never recorded as a leader this node heard from */
    LeaderContact(int selfNodeId) {
        this.selfNodeId = selfNodeId;
    }

    /** Ratis' role info of this division, taken at {@code nowNanos}. */
    synchronized void sample(RoleInfoProto role, long nowNanos) {
        if (role.getRole() != RaftPeerRole.FOLLOWER || !role.hasFollowerInfo()) {
            return;
        }
        ServerRpcProto leader = role.getFollowerInfo().getLeaderInfo();
        if (!leader.hasId() || leader.getId().getId().isEmpty()) {
            return; // no known leader: the follower's last RPC time may be a vote, not the leader
        }
        int nodeId = RatisSettings.nodeId(RaftPeerId.valueOf(leader.getId().getId()));
        if (nodeId < 0 || nodeId == selfNodeId) {
            return;
        }
        long heard = nowNanos - leader.getLastRpcElapsedTimeMs() * 1_000_000L;
        if (last != null && last.nodeId() == nodeId && last.lastHeardNanos() - heard > 0) {
            return; // keep the later contact
        }
        last = new BrokerHeartbeats.PreviousLeader(nodeId, heard);
    }

    /**
     * Ratis made {@code leaderNodeId} the leader as this node sees it (an RPC from it arrived, or this node won an
     * election). Another node forgets a record of a different leader until the next sample: the time this node heard
     * from an older leader must never be taken for the new one's. This node keeps the record, which is then the
     * leader it is taking over from.
     */
    synchronized void leaderChanged(int leaderNodeId) {
        if (leaderNodeId != selfNodeId && last != null && last.nodeId() != leaderNodeId) {
            last = null;
        }
    }

    /**
     * The last leader this node followed and when it last heard from it; forgets it, so a later activation of this
     * node without following anyone in between (this node was the previous leader) finds none.
     */
    synchronized Optional<BrokerHeartbeats.PreviousLeader> take() {
        Optional<BrokerHeartbeats.PreviousLeader> previous = Optional.ofNullable(last);
        last = null;
        return previous;
    }
}
