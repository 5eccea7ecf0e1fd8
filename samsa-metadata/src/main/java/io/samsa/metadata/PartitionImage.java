package io.samsa.metadata;

import java.util.List;

/**
 * One partition's replica assignment and leadership.
 *
 * @param partition        partition number
 * @param replicas         node ids holding a replica, preferred leader first; during a reassignment the target
 *                         replicas plus the ones being removed
 * @param isr              in-sync replicas
 * @param leader           node id of the leader, -1 if none
 * @param leaderEpoch      bumped on each leader change
 * @param partitionEpoch   bumped on each change of this partition's record (KIP-497's partition epoch)
 * @param addingReplicas   replicas a reassignment adds (KIP-455); empty when none is in progress
 * @param removingReplicas replicas a reassignment removes; empty when none is in progress
 */
public record PartitionImage(int partition, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                             int partitionEpoch, List<Integer> addingReplicas, List<Integer> removingReplicas) {
    public PartitionImage {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition with no reassignment in progress. */
    public PartitionImage(int partition, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                          int partitionEpoch) {
        this(partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    /** True while a reassignment adds or removes replicas. */
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }
}
