package io.samsa.broker.replica;

import io.samsa.broker.replica.SimNetwork.AlterPartitionRequest;
import io.samsa.broker.replica.SimNetwork.AlterPartitionResponse;
import io.samsa.metadata.IsrMember;
import io.samsa.metadata.PartitionImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.IneligibleReplicaException;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;

/**
 * The replication simulation's controller (simulated, a few lines of KRaft's {@code ReplicationControlManager}): the
 * one partition's state (leader, leader epoch, partition epoch, ISR), AlterPartition judged as Kafka does (fenced by
 * leader and partition epoch; only unfenced replicas may join, each named with its current broker epoch or none,
 * KIP-903), a crashed broker fenced at once (out of the ISR, a new leader elected from the rest of the ISR, unclean
 * election off), and a leader moved on request (a preferred or controlled-shutdown election). Each change bumps the partition epoch (and the leader epoch when the leader
 * changes) and is published to every live broker through a per-broker queue, applied in order but at the
 * scheduler's pace (metadata propagation delay). Not thread-safe.
 */
final class SimController {
    private final List<Integer> replicas;
    private final Set<Integer> fenced = new HashSet<>();
    /** Each broker's current registration epoch (a new one at each registration, as KRaft's commit offset). */
    private final Map<Integer, Long> brokerEpochs = new HashMap<>();
    private long lastBrokerEpoch;
    private final Map<Integer, Deque<PartitionImage>> unpublished = new HashMap<>();
    private PartitionImage image;

    SimController(List<Integer> replicas) {
        this.replicas = List.copyOf(replicas);
        this.image = new PartitionImage(0, replicas, replicas, replicas.getFirst(), 0, 0);
        replicas.forEach(r -> unpublished.put(r, new ArrayDeque<>()));
        replicas.forEach(r -> brokerEpochs.put(r, ++lastBrokerEpoch));
    }

    long brokerEpoch(int node) {
        return brokerEpochs.get(node);
    }

    PartitionImage image() {
        return image;
    }

    boolean unfenced(int node) {
        return !fenced.contains(node);
    }

    /** AlterPartition (KIP-497) from {@code r.from()}: the committed partition, or the error Kafka would answer. */
    AlterPartitionResponse alterPartition(AlterPartitionRequest r) {
        RuntimeException error = null;
        if (r.from() != image.leader()) {
            error = new NotLeaderOrFollowerException("broker " + r.from() + " does not lead the partition");
        } else if (r.leaderEpoch() != image.leaderEpoch()) {
            error = new FencedLeaderEpochException("leader epoch " + r.leaderEpoch() + " != " + image.leaderEpoch());
        } else if (r.partitionEpoch() != image.partitionEpoch()) {
            error = new InvalidUpdateVersionException("partition epoch " + r.partitionEpoch() + " != "
                    + image.partitionEpoch());
        } else if (!r.isr().contains(r.from()) || r.isr().stream().anyMatch(fenced::contains)) {
            error = new IneligibleReplicaException("ISR " + r.isr() + " has a fenced replica or lacks the leader");
        } else if (r.members().stream().anyMatch(m -> m.brokerEpoch() != IsrMember.UNKNOWN_EPOCH
                && m.brokerEpoch() != brokerEpochs.get(m.brokerId()))) {
            error = new IneligibleReplicaException("ISR " + r.members() + " names a broker epoch not registered now "
                    + brokerEpochs + " (KIP-903)");
        }
        if (error != null) {
            return new AlterPartitionResponse(SimNetwork.CONTROLLER, r.from(), r.reply(), null, error);
        }
        commit(image.leader(), image.leaderEpoch(), r.isr());
        return new AlterPartitionResponse(SimNetwork.CONTROLLER, r.from(), r.reply(), image, null);
    }

    /** The broker crashed (its session expired): fenced, out of the ISR, a new leader if it led. */
    void fence(int node) {
        fenced.add(node);
        unpublished.get(node).clear();
        List<Integer> isr = new ArrayList<>(image.isr());
        if (isr.size() > 1) {
            isr.remove(Integer.valueOf(node)); // KRaft keeps the last member: the partition waits for it
        }
        if (image.leader() == node || image.leader() < 0) {
            int leader = electable(isr, node).orElse(-1);
            commit(leader, image.leaderEpoch() + 1, isr);
        } else if (isr.size() != image.isr().size()) {
            commit(image.leader(), image.leaderEpoch(), isr);
        }
    }

    /**
     * The broker registered again after a restart: a new broker epoch, unfenced; it leads again only if the partition
     * was offline.
     *
     * @return its new broker epoch
     */
    long unfence(int node) {
        fenced.remove(node);
        brokerEpochs.put(node, ++lastBrokerEpoch);
        unpublished.get(node).clear();
        if (image.leader() < 0 && image.isr().contains(node)) {
            commit(node, image.leaderEpoch() + 1, image.isr());
        }
        return brokerEpochs.get(node);
    }

    /** Moves leadership to another live ISR member (preferred-leader or controlled-shutdown election). */
    boolean moveLeader(int preferred) {
        if (image.leader() < 0 || preferred == image.leader() || !image.isr().contains(preferred)
                || fenced.contains(preferred)) {
            return false;
        }
        commit(preferred, image.leaderEpoch() + 1, image.isr());
        return true;
    }

    /** The next metadata update for {@code node}, in order, or null. */
    PartitionImage nextUpdate(int node) {
        return unpublished.get(node).pollFirst();
    }

    boolean hasUpdates(int node) {
        return !unpublished.get(node).isEmpty();
    }

    private Optional<Integer> electable(List<Integer> isr, int excluded) {
        return replicas.stream().filter(r -> r != excluded && isr.contains(r) && !fenced.contains(r)).findFirst();
    }

    private void commit(int leader, int leaderEpoch, List<Integer> isr) {
        image = new PartitionImage(0, replicas, List.copyOf(isr), leader, leaderEpoch, image.partitionEpoch() + 1);
        for (int r : replicas) {
            if (!fenced.contains(r)) {
                unpublished.get(r).addLast(image);
            }
        }
    }
}
