package io.samsa.coordinator.group.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a group's new target assignment at a new group epoch (Kafka's {@code TargetAssignmentBuilder}): runs the
 * group's assignor over every member's resolved subscription, seeded with the previous targets for stickiness, and
 * returns the records of the members whose target changed plus the new target assignment epoch.
 *
 * <p>Stateless and thread-safe.
 */
final class TargetAssignments {
    private TargetAssignments() {
    }

    /**
     * @param members  every member after this heartbeat (the changed member included, a fenced one left out)
     * @param previous previous targets that are not yet in the group (a static member rejoining under a new id)
     * @return member id to new target; the records (changed targets, then the epoch) are added to {@code records}
     */
    static Map<String, Assignment> compute(ConsumerGroup group, Map<String, ConsumerGroupMember> members,
                                           Map<String, Assignment> previous, Subscriptions.Resolved resolved,
                                           ConsumerGroupSettings settings,
                                           int epoch, List<ConsumerGroupRecord> records) {
        Map<String, ConsumerGroupAssignor.MemberSpec> specs = new HashMap<>();
        members.forEach((id, m) -> specs.put(id, new ConsumerGroupAssignor.MemberSpec(
                Subscriptions.topicIds(m, resolved), previous.getOrDefault(id, group.target(id)), m.rackId())));
        ConsumerGroupAssignor assignor = assignorOf(members, settings);
        Map<String, Assignment> targets = assignor.assign(
                new ConsumerGroupAssignor.Spec(specs, Subscriptions.partitionCounts(resolved)));
        targets.forEach((id, target) -> {
            if (!target.equals(group.target(id)) || previous.containsKey(id)) {
                records.add(new ConsumerGroupRecord.TargetAssignment(group.groupId(), id, target));
            }
        });
        records.add(new ConsumerGroupRecord.TargetAssignmentEpoch(group.groupId(), epoch));
        return targets;
    }

    /** The assignor most members ask for ({@code ServerAssignor}), else the default; ties go to the default order. */
    static ConsumerGroupAssignor assignorOf(Map<String, ConsumerGroupMember> members,
                                           ConsumerGroupSettings settings) {
        Map<String, Integer> votes = new HashMap<>();
        members.values().forEach(m -> {
            if (m.serverAssignor() != null && settings.assignors().containsKey(m.serverAssignor())) {
                votes.merge(m.serverAssignor(), 1, Integer::sum);
            }
        });
        ConsumerGroupAssignor best = settings.defaultAssignor();
        int bestVotes = 0;
        for (Map.Entry<String, ConsumerGroupAssignor> e : settings.assignors().entrySet()) {
            int v = votes.getOrDefault(e.getKey(), 0);
            if (v > bestVotes) {
                best = e.getValue();
                bestVotes = v;
            }
        }
        return best;
    }
}
