package io.samsa.metadata;

import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds {@link QuorumInfo} from a Ratis division (DescribeQuorum, API 55). On the leader, followers' log end
 * offsets are Ratis' match indices and their last fetch time is now minus the time since the leader's last
 * successful RPC to them; a follower counts as caught up when its match index reached the leader's commit index.
 * Elsewhere only the leader, the term and the local commit index are known (-1 for the rest). Stateless.
 */
final class QuorumDescriber {
    private QuorumDescriber() {
    }

    static QuorumInfo describe(RaftServer.Division division, Set<Integer> voterIds,
                               List<QuorumInfo.ReplicaInfo> observers, long nowMs) {
        DivisionInfo info = division.getInfo();
        RaftLog log = division.getRaftLog();
        long commitIndex = log.getLastCommittedIndex();
        RaftPeerId leaderPeer = info.getLeaderId();
        int leaderId = leaderPeer == null ? -1 : RatisSettings.nodeId(leaderPeer);
        int self = RatisSettings.nodeId(division.getId());
        var known = new HashMap<Integer, QuorumInfo.ReplicaInfo>();
        if (info.isLeader()) {
            long logEnd = log.getNextIndex() - 1;
            known.put(self, new QuorumInfo.ReplicaInfo(self, logEnd, nowMs, nowMs));
            RoleInfoProto role = info.getRoleInfoProto();
            List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
            long[] match = info.getFollowerMatchIndices();
            for (int i = 0; i < followers.size(); i++) {
                ServerRpcProto follower = followers.get(i);
                int id = RatisSettings.nodeId(RaftPeerId.valueOf(follower.getId().getId()));
                long matchIndex = i < match.length ? match[i] : -1;
                long lastFetch = nowMs - follower.getLastRpcElapsedTimeMs();
                known.put(id, new QuorumInfo.ReplicaInfo(id, matchIndex, lastFetch,
                        matchIndex >= commitIndex ? lastFetch : -1));
            }
        }
        List<QuorumInfo.ReplicaInfo> voters = new ArrayList<>();
        for (int id : new TreeSet<>(voterIds)) {
            voters.add(known.getOrDefault(id, new QuorumInfo.ReplicaInfo(id, -1, -1, -1)));
        }
        return new QuorumInfo(leaderId, info.getCurrentTerm(), commitIndex, voters,
                info.isLeader() ? observers : List.of());
    }

    /** On a broker-only node: the leader, term and applied index it follows; nothing per voter. */
    static QuorumInfo describeFromImage(ClusterImage image, Set<Integer> voterIds) {
        return new QuorumInfo(image.controllerId(), image.controllerEpoch(), image.appliedIndex(),
                voterIds.stream().sorted().map(id -> new QuorumInfo.ReplicaInfo(id, -1, -1, -1)).toList(),
                List.of());
    }
}
