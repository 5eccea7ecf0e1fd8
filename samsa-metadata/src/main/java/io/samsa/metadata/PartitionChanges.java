package io.samsa.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Leader and ISR changes of one partition (Kafka's {@code PartitionChangeBuilder}, without ELR): the rules shared by
 * fencing, unfencing, controlled shutdown, AlterPartition, leader election and reassignment. Pure functions of a
 * {@link PartitionImage}; "eligible" (registered, unfenced, not shutting down) is a predicate the caller builds from
 * the image. Any change bumps the partition epoch by one; a leader change also bumps the leader epoch by one.
 */
final class PartitionChanges {
    private PartitionChanges() {
    }

    /** Brokers that may lead or join an ISR: registered, unfenced and not in controlled shutdown. */
    static IntPredicate eligible(ClusterImage image) {
        return id -> {
            BrokerRegistration b = image.brokers().get(id);
            return b != null && !b.fenced() && !b.inControlledShutdown();
        };
    }

    /** {@code p} with {@code isr} and {@code leader} (and the same replicas), epochs bumped; {@code p} if unchanged. */
    static PartitionImage change(PartitionImage p, List<Integer> isr, int leader) {
        return change(p, p.replicas(), isr, leader, p.addingReplicas(), p.removingReplicas());
    }

    static PartitionImage change(PartitionImage p, List<Integer> replicas, List<Integer> isr, int leader,
                                 List<Integer> adding, List<Integer> removing) {
        if (replicas.equals(p.replicas()) && isr.equals(p.isr()) && leader == p.leader()
                && adding.equals(p.addingReplicas()) && removing.equals(p.removingReplicas())) {
            return p;
        }
        int leaderEpoch = leader == p.leader() ? p.leaderEpoch() : p.leaderEpoch() + 1;
        return new PartitionImage(p.partition(), replicas, isr, leader, leaderEpoch, p.partitionEpoch() + 1, adding,
                removing);
    }

    /** The first member of {@code isr}, in replica order, that is eligible; -1 when none is. */
    static int firstEligible(List<Integer> replicas, List<Integer> isr, IntPredicate eligible) {
        for (int replica : replicas) {
            if (isr.contains(replica) && eligible.test(replica)) {
                return replica;
            }
        }
        return -1;
    }

    /**
     * {@code p} once {@code broker} is fenced or shuts down: it leaves the ISR unless it is the last member (then the
     * ISR keeps it, as Kafka does without ELR), and if it led, the first eligible remaining ISR member in replica
     * order leads, else (with {@code unclean}) the first eligible replica with an ISR of itself, else nobody (-1).
     *
     * @param eligible must already say false for {@code broker}
     */
    static PartitionImage withoutBroker(PartitionImage p, int broker, IntPredicate eligible, boolean unclean) {
        if (!p.isr().contains(broker) && p.leader() != broker) {
            return p;
        }
        List<Integer> isr = without(p.isr(), broker);
        if (isr.isEmpty()) {
            isr = p.isr();
        }
        int leader = p.leader();
        if (leader == broker || leader == -1) {
            leader = firstEligible(p.replicas(), isr, eligible);
            if (leader == -1 && unclean) {
                leader = firstEligible(p.replicas(), p.replicas(), eligible);
                if (leader != -1) {
                    isr = List.of(leader);
                }
            }
        }
        return change(p, isr, leader);
    }

    /**
     * {@code p} once {@code broker} is unfenced: a leaderless partition whose ISR holds it gets it as leader; with
     * {@code unclean}, a leaderless partition with no eligible ISR member gets it (a replica) as leader and sole ISR.
     */
    static PartitionImage withUnfencedBroker(PartitionImage p, int broker, IntPredicate eligible, boolean unclean) {
        if (p.leader() != -1 || !p.replicas().contains(broker)) {
            return p;
        }
        if (p.isr().contains(broker)) {
            return change(p, p.isr(), firstEligible(p.replicas(), p.isr(), id -> id == broker || eligible.test(id)));
        }
        if (unclean && firstEligible(p.replicas(), p.isr(), eligible) == -1) {
            return change(p, List.of(broker), broker);
        }
        return p;
    }

    /**
     * Finishes a reassignment once every adding replica is in the ISR: replicas = the target, ISR = ISR ∩ target,
     * the leader re-elected (first eligible of the new ISR in target order) if it was removed. Returns {@code p}
     * when not reassigning or not caught up yet.
     */
    static PartitionImage completeReassignment(PartitionImage p, IntPredicate eligible) {
        if (!p.isReassigning() || !p.isr().containsAll(p.addingReplicas())) {
            return p;
        }
        List<Integer> target = new ArrayList<>(p.replicas());
        target.removeAll(p.removingReplicas());
        List<Integer> isr = new ArrayList<>(p.isr());
        isr.retainAll(target);
        if (isr.isEmpty()) {
            return p;
        }
        int leader = target.contains(p.leader()) ? p.leader() : firstEligible(target, isr, eligible);
        return change(p, List.copyOf(target), List.copyOf(isr), leader, List.of(), List.of());
    }

    static List<Integer> without(List<Integer> list, int element) {
        if (!list.contains(element)) {
            return list;
        }
        var copy = new ArrayList<Integer>(list.size());
        for (int i : list) {
            if (i != element) {
                copy.add(i);
            }
        }
        return List.copyOf(copy);
    }
}
