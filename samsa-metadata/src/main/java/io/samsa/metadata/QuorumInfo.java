package io.samsa.metadata;

import java.util.List;

/**
 * The metadata quorum's state for DescribeQuorum (API 55, KIP-595/KIP-836), read from Ratis on this node.
 *
 * @param leaderId      node id of the Raft leader (active controller), -1 when unknown
 * @param leaderEpoch   the Raft term
 * @param highWatermark the commit index known to this node (log index)
 * @param voters        one entry per voter; replication details are exact only when read on the leader
 * @param observers     broker-only nodes following the metadata from this leader (log end offset = the index they
 *                      fetched from); empty when not read on the leader
 */
public record QuorumInfo(int leaderId, long leaderEpoch, long highWatermark, List<ReplicaInfo> voters,
                         List<ReplicaInfo> observers) {
    public QuorumInfo {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    /**
     * One member of the quorum.
     *
     * @param replicaId               node id
     * @param logEndOffset            the member's last log index known to match the leader's (Ratis match index),
     *                                -1 when unknown
     * @param lastFetchTimestampMs    wall-clock time of the leader's last successful exchange with it (ms), -1 when
     *                                unknown
     * @param lastCaughtUpTimestampMs wall-clock time it was last known caught up to the leader's log end (ms), -1
     *                                when unknown
     */
    public record ReplicaInfo(int replicaId, long logEndOffset, long lastFetchTimestampMs,
                              long lastCaughtUpTimestampMs) {
    }
}
