package io.samsa.metadata;

import java.util.List;

/**
 * One partition's replica assignment and leadership.
 *
 * @param partition      partition number
 * @param replicas       node ids holding a replica, preferred leader first
 * @param isr            in-sync replicas
 * @param leader         node id of the leader, -1 if none
 * @param leaderEpoch    bumped on each leader change
 * @param partitionEpoch bumped on each change of this partition's record
 */
public record PartitionImage(int partition, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                             int partitionEpoch) {
}
