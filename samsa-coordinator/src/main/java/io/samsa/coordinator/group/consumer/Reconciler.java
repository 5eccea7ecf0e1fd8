package io.samsa.coordinator.group.consumer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The KIP-848 member reconciliation step (Kafka's {@code CurrentAssignmentBuilder}): moves a member one step from
 * its current assignment towards its target assignment without ever letting two members own a partition.
 *
 * <ol>
 *   <li>Partitions the member owns but that left its target are put <em>pending revocation</em>; the member keeps its
 *       epoch (state UNREVOKED_PARTITIONS) until a heartbeat reports them no longer owned.</li>
 *   <li>Then the member moves to the target epoch and gets the target partitions that are free: no other member owns
 *       them or still has them pending revocation. Those still held elsewhere are withheld (state
 *       UNRELEASED_PARTITIONS) and handed over on a later heartbeat once released.</li>
 * </ol>
 *
 * <p>Stateless and thread-safe; callers serialize access to the group it reads.
 */
public final class Reconciler {
    /** The epoch of the member currently holding a partition (assigned or pending revocation), or -1 when free. */
    @FunctionalInterface
    public interface PartitionEpochs {
        int epochOf(UUID topicId, int partition);
    }

    private Reconciler() {
    }

    /**
     * The member's next state.
     *
     * @param member      the member as the coordinator knows it
     * @param targetEpoch the group's target assignment epoch
     * @param target      the member's target assignment at that epoch
     * @param epochs      the current holders of every partition in the group
     * @param owned       the partitions the member reported owning in this heartbeat, or null when it did not report
     *                    them (then partitions pending revocation are assumed still owned)
     * @return the member, unchanged when it cannot move forward yet
     */
    public static ConsumerGroupMember reconcile(ConsumerGroupMember member, int targetEpoch, Assignment target,
                                                PartitionEpochs epochs, Assignment owned) {
        return switch (member.state()) {
            case STABLE -> member.memberEpoch() == targetEpoch && member.assigned().equals(target)
                    ? member
                    : next(member, member.memberEpoch(), targetEpoch, target, epochs, owned);
            case UNREVOKED_PARTITIONS -> stillOwns(owned, member.pendingRevocation())
                    ? member
                    : next(member, member.memberEpoch() + 1, targetEpoch, target, epochs, owned);
            case UNRELEASED_PARTITIONS -> next(member, member.memberEpoch(), targetEpoch, target, epochs, owned);
        };
    }

    private static boolean stillOwns(Assignment owned, Assignment revoking) {
        return owned == null ? !revoking.isEmpty() : owned.overlaps(revoking);
    }

    private static ConsumerGroupMember next(ConsumerGroupMember member, int epochIfRevoking, int targetEpoch,
                                            Assignment target, PartitionEpochs epochs, Assignment owned) {
        Assignment current = member.assigned();
        Assignment kept = current.intersect(target);
        Assignment revoking = current.minus(kept);
        Map<UUID, Set<Integer>> grantable = new HashMap<>();
        boolean unreleased = false;
        for (Map.Entry<UUID, Set<Integer>> e : target.minus(kept).partitions().entrySet()) {
            Set<Integer> free = new HashSet<>();
            for (int p : e.getValue()) {
                if (epochs.epochOf(e.getKey(), p) == -1) {
                    free.add(p);
                } else {
                    unreleased = true;
                }
            }
            grantable.put(e.getKey(), free);
        }
        if (!revoking.isEmpty() && stillOwns(owned, revoking)) {
            return member.withAssignment(epochIfRevoking, MemberState.UNREVOKED_PARTITIONS, kept, revoking);
        }
        Assignment granted = kept.union(new Assignment(grantable));
        MemberState state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        return member.withAssignment(targetEpoch, state, granted, Assignment.EMPTY);
    }
}
