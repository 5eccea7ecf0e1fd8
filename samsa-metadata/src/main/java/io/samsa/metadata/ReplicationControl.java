package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * The active controller's partition decisions requested by brokers and admins: AlterPartition (API 56, KIP-497,
 * KIP-841), ElectLeaders (API 43, KIP-460) and partition reassignment (KIP-455). Pure functions of the image;
 * throw {@link ControllerException} or report per-partition errors. Races with other commits are caught by apply's
 * partition-epoch check, after which the caller re-plans against the newer image.
 */
final class ReplicationControl {
    private ReplicationControl() {
    }

    /** A planned partition change: the new state and the record that writes it (none when unchanged). */
    record Change(PartitionImage partition, List<MetadataRecord> records) {
    }

    /**
     * AlterPartition from the leader {@code leaderId}: the new ISR, partition epoch + 1 (leader epoch unchanged); a
     * reassignment whose adding replicas are now all in the ISR completes in the same record.
     *
     * @param brokerEpoch the leader's broker epoch, -1 to skip the check (old request versions)
     * @throws ControllerException STALE_BROKER_EPOCH, UNKNOWN_TOPIC_ID, UNKNOWN_TOPIC_OR_PARTITION,
     *                             FENCED_LEADER_EPOCH (not the leader, or another leader epoch),
     *                             INVALID_UPDATE_VERSION (another partition epoch), INELIGIBLE_REPLICA (a member
     *                             not a replica, fenced or shutting down, or named with a broker epoch other than
     *                             its registration's: KIP-903), INVALID_REQUEST (leader not in the ISR)
     */
    static Change alterPartition(ClusterImage image, int leaderId, long brokerEpoch, UUID topicId, int partition,
                                 int leaderEpoch, int partitionEpoch, List<IsrMember> newIsrWithEpochs) {
        List<Integer> newIsr = IsrMember.ids(newIsrWithEpochs);
        BrokerRegistration broker = image.brokers().get(leaderId);
        if (broker == null) {
            throw new ControllerException(Error.STALE_BROKER_EPOCH, "Broker " + leaderId + " is not registered");
        }
        if (brokerEpoch != -1 && brokerEpoch != broker.brokerEpoch()) {
            throw new ControllerException(Error.STALE_BROKER_EPOCH, "Broker " + leaderId + " has epoch "
                    + broker.brokerEpoch() + ", not " + brokerEpoch);
        }
        TopicImage topic = image.topicsById().get(topicId);
        if (topic == null) {
            throw new ControllerException(Error.UNKNOWN_TOPIC_ID, "No topic with id " + topicId);
        }
        if (partition < 0 || partition >= topic.partitions().size()) {
            throw new ControllerException(Error.UNKNOWN_TOPIC_OR_PARTITION, "No partition " + topic.name() + "-"
                    + partition);
        }
        PartitionImage p = topic.partitions().get(partition);
        if (p.leader() != leaderId || p.leaderEpoch() != leaderEpoch) {
            throw new ControllerException(Error.FENCED_LEADER_EPOCH, "Partition " + topic.name() + "-" + partition
                    + " has leader " + p.leader() + " at epoch " + p.leaderEpoch() + "; broker " + leaderId
                    + " sent epoch " + leaderEpoch);
        }
        if (p.partitionEpoch() != partitionEpoch) {
            throw new ControllerException(Error.INVALID_UPDATE_VERSION, "Partition " + topic.name() + "-" + partition
                    + " is at partition epoch " + p.partitionEpoch() + ", not " + partitionEpoch);
        }
        if (new HashSet<>(newIsr).size() != newIsr.size() || !newIsr.contains(leaderId)) {
            throw new ControllerException(Error.INVALID_REQUEST, "The ISR " + newIsr + " of " + topic.name() + "-"
                    + partition + " must hold the leader " + leaderId + " once");
        }
        IntPredicate eligible = PartitionChanges.eligible(image);
        for (IsrMember m : newIsrWithEpochs) {
            int member = m.brokerId();
            if (!p.replicas().contains(member) || (member != leaderId && !eligible.test(member))) {
                throw new ControllerException(Error.INELIGIBLE_REPLICA, "Replica " + member + " of " + topic.name()
                        + "-" + partition + " is not eligible for the ISR (not a replica, fenced or shutting down)");
            }
            long registered = image.brokers().get(member).brokerEpoch();
            if (m.brokerEpoch() != IsrMember.UNKNOWN_EPOCH && m.brokerEpoch() != registered) {
                throw new ControllerException(Error.INELIGIBLE_REPLICA, "Replica " + member + " of " + topic.name()
                        + "-" + partition + " is not eligible for the ISR: its fetches named broker epoch "
                        + m.brokerEpoch() + ", it is registered at " + registered + " (KIP-903)");
            }
        }
        PartitionImage changed = PartitionChanges.change(p, List.copyOf(newIsr), p.leader());
        changed = PartitionChanges.completeReassignment(changed, eligible);
        return changeOf(topic, p, changed);
    }

    /**
     * Leader elections (ElectLeaders): PREFERRED makes the first replica leader when it is an eligible ISR member
     * (PREFERRED_LEADER_NOT_AVAILABLE otherwise, ELECTION_NOT_NEEDED when it already leads); UNCLEAN elects only a
     * leaderless partition, preferring an eligible ISR member, else any eligible replica with an ISR of itself
     * (ELECTION_NOT_NEEDED when it has a leader, ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica can lead).
     *
     * @return per partition, the error (empty = elected), and the records of the elected ones
     */
    static Elections electLeaders(ClusterImage image, boolean unclean, List<PartitionRef> partitions) {
        var results = new LinkedHashMap<PartitionRef, Optional<ControllerException>>();
        var records = new ArrayList<MetadataRecord>();
        IntPredicate eligible = PartitionChanges.eligible(image);
        for (PartitionRef ref : partitions) {
            try {
                TopicImage topic = topicOf(image, ref);
                PartitionImage p = topic.partitions().get(ref.partition());
                PartitionImage elected = unclean ? uncleanElection(p, eligible) : preferredElection(p, eligible);
                records.add(ControllerLogic.partitionRecord(topic.topicId(), elected));
                results.put(ref, Optional.empty());
            } catch (ControllerException e) {
                results.put(ref, Optional.of(e));
            }
        }
        return new Elections(results, records);
    }

    /** ElectLeaders' outcome: per partition error (empty = elected) and the records to append. */
    record Elections(Map<PartitionRef, Optional<ControllerException>> results, List<MetadataRecord> records) {
    }

    /**
     * The periodic preferred-leader rebalance (KRaft's {@code maybeBalancePartitionLeaders}, with
     * {@code auto.leader.rebalance.enable}): every partition whose first replica is an eligible ISR member but does
     * not lead gets it as leader, at most {@code max} partitions per call, topics in name order.
     */
    static List<MetadataRecord> preferredRebalance(ClusterImage image, int max) {
        IntPredicate eligible = PartitionChanges.eligible(image);
        var records = new ArrayList<MetadataRecord>();
        for (TopicImage topic : image.topics().values().stream().sorted(Comparator.comparing(TopicImage::name))
                .toList()) {
            for (PartitionImage p : topic.partitions()) {
                int preferred = p.replicas().getFirst();
                if (records.size() < max && p.leader() != preferred && p.isr().contains(preferred)
                        && eligible.test(preferred)) {
                    records.add(ControllerLogic.partitionRecord(topic.topicId(), PartitionChanges.change(p, p.isr(),
                            preferred)));
                }
            }
        }
        return records;
    }

    private static PartitionImage preferredElection(PartitionImage p, IntPredicate eligible) {
        int preferred = p.replicas().getFirst();
        if (p.leader() == preferred) {
            throw new ControllerException(Error.ELECTION_NOT_NEEDED, "Leader election not needed for topic "
                    + "partition.");
        }
        if (!p.isr().contains(preferred) || !eligible.test(preferred)) {
            throw new ControllerException(Error.PREFERRED_LEADER_NOT_AVAILABLE, "Failed to elect leader for "
                    + "partition: preferred replica " + preferred + " is not in the ISR or not available.");
        }
        return PartitionChanges.change(p, p.isr(), preferred);
    }

    private static PartitionImage uncleanElection(PartitionImage p, IntPredicate eligible) {
        if (p.leader() != -1) {
            throw new ControllerException(Error.ELECTION_NOT_NEEDED, "Leader election not needed for topic "
                    + "partition.");
        }
        int clean = PartitionChanges.firstEligible(p.replicas(), p.isr(), eligible);
        if (clean != -1) {
            return PartitionChanges.change(p, p.isr(), clean);
        }
        int any = PartitionChanges.firstEligible(p.replicas(), p.replicas(), eligible);
        if (any == -1) {
            throw new ControllerException(Error.ELIGIBLE_LEADERS_NOT_AVAILABLE, "No replica of the partition is "
                    + "available to lead.");
        }
        return PartitionChanges.change(p, List.of(any), any);
    }

    /**
     * Starts, replaces or cancels (empty target) a reassignment (KIP-455). The replicas become target + removing
     * (original replicas not in the target), with {@code addingReplicas} = target − original; the partition finishes
     * through {@link PartitionChanges#completeReassignment} once the adding replicas are in the ISR (at once when
     * there are none). A new target for a partition already reassigning starts from its original replicas.
     * Cancelling restores the original replicas (the adding ones leave the ISR; a removed leader is re-elected).
     *
     * @return per partition, the error (empty = accepted), and the records
     */
    static Elections alterReassignments(ClusterImage image, Map<PartitionRef, Optional<List<Integer>>> targets) {
        var results = new LinkedHashMap<PartitionRef, Optional<ControllerException>>();
        var records = new ArrayList<MetadataRecord>();
        IntPredicate eligible = PartitionChanges.eligible(image);
        targets.forEach((ref, target) -> {
            try {
                TopicImage topic = topicOf(image, ref);
                PartitionImage p = topic.partitions().get(ref.partition());
                PartitionImage changed = target.isPresent()
                        ? reassign(image, p, target.get(), eligible)
                        : cancel(p, eligible);
                if (changed != p) {
                    records.add(ControllerLogic.partitionRecord(topic.topicId(), changed));
                }
                results.put(ref, Optional.empty());
            } catch (ControllerException e) {
                results.put(ref, Optional.of(e));
            }
        });
        return new Elections(results, records);
    }

    private static PartitionImage reassign(ClusterImage image, PartitionImage p, List<Integer> target,
                                           IntPredicate eligible) {
        if (target.isEmpty() || new HashSet<>(target).size() != target.size()) {
            throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "The target replicas " + target
                    + " are empty or repeat a broker.");
        }
        for (int id : target) {
            if (!image.brokers().containsKey(id)) {
                throw new ControllerException(Error.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment "
                        + "includes broker " + id + ", but no such broker is registered.");
            }
        }
        List<Integer> original = new ArrayList<>(p.replicas());
        original.removeAll(p.addingReplicas());
        List<Integer> adding = new ArrayList<>(target);
        adding.removeAll(original);
        List<Integer> removing = new ArrayList<>(original);
        removing.removeAll(target);
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        List<Integer> isr = new ArrayList<>(p.isr());
        isr.retainAll(replicas);
        if (isr.isEmpty()) {
            isr = new ArrayList<>(p.isr());
        }
        int leader = replicas.contains(p.leader()) ? p.leader() : PartitionChanges.firstEligible(replicas, isr,
                eligible);
        PartitionImage started = PartitionChanges.change(p, List.copyOf(replicas), List.copyOf(isr), leader,
                List.copyOf(adding), List.copyOf(removing));
        if (started.addingReplicas().isEmpty() && started.removingReplicas().isEmpty()) {
            return started;
        }
        PartitionImage done = PartitionChanges.completeReassignment(started, eligible);
        return done == started ? started : bumpOnce(p, done);
    }

    private static PartitionImage cancel(PartitionImage p, IntPredicate eligible) {
        if (!p.isReassigning()) {
            throw new ControllerException(Error.NO_REASSIGNMENT_IN_PROGRESS, "No reassignment is in progress for "
                    + "this partition.");
        }
        List<Integer> original = new ArrayList<>(p.replicas());
        original.removeAll(p.addingReplicas());
        List<Integer> isr = new ArrayList<>(p.isr());
        isr.retainAll(original);
        if (isr.isEmpty()) {
            isr = new ArrayList<>(p.isr());
        }
        int leader = original.contains(p.leader()) ? p.leader() : PartitionChanges.firstEligible(original, isr,
                eligible);
        return PartitionChanges.change(p, List.copyOf(original), List.copyOf(isr), leader, List.of(), List.of());
    }

    /** {@code done} (changed twice from {@code p}) as one change: partition epoch + 1, leader epoch + 1 if moved. */
    private static PartitionImage bumpOnce(PartitionImage p, PartitionImage done) {
        return new PartitionImage(done.partition(), done.replicas(), done.isr(), done.leader(),
                done.leader() == p.leader() ? p.leaderEpoch() : p.leaderEpoch() + 1, p.partitionEpoch() + 1,
                done.addingReplicas(), done.removingReplicas());
    }

    /** Partitions with a reassignment in progress. */
    static Map<PartitionRef, PartitionImage> reassigning(ClusterImage image) {
        var result = new LinkedHashMap<PartitionRef, PartitionImage>();
        image.topics().values().stream()
                .sorted(Comparator.comparing(TopicImage::name))
                .forEach(t -> t.partitions().stream().filter(PartitionImage::isReassigning)
                        .forEach(p -> result.put(new PartitionRef(t.name(), p.partition()), p)));
        return result;
    }

    private static TopicImage topicOf(ClusterImage image, PartitionRef ref) {
        TopicImage topic = image.topics().get(ref.topic());
        if (topic == null || ref.partition() < 0 || ref.partition() >= topic.partitions().size()) {
            throw new ControllerException(Error.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this "
                    + "topic-partition.");
        }
        return topic;
    }

    private static Change changeOf(TopicImage topic, PartitionImage before, PartitionImage after) {
        if (after == before) {
            return new Change(before, List.of());
        }
        PartitionImage once = bumpOnce(before, after);
        return new Change(once, List.of(ControllerLogic.partitionRecord(topic.topicId(), once)));
    }
}
