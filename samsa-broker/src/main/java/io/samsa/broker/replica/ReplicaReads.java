package io.samsa.broker.replica;

import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.storage.EpochEndOffset;
import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.txn.AbortedTxn;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.PartitionView;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.replica.ReplicaView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read path of the partitions hosted here (Kafka's {@code readFromLog} side of {@code fetchMessages}): consumer
 * reads of committed data (below the high watermark, or below the last stable offset with the aborted transactions
 * for {@code read_committed}) from the leader or, with a {@code replica.selector.class}, from any replica (KIP-392),
 * and the leader's choice of a preferred read replica; follower reads up to the log end offset, the follower fetch
 * state that moves the ISR and the high watermark, and OffsetsForLeaderEpoch on the leader.
 *
 * <p>Thread-safe: its only state is the replica selector, created with it and closed once by {@link #close}. Reads
 * may block on disk: call them from the broker's I/O pool, never a Netty event loop.
 */
final class ReplicaReads {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplicaReads.class);

    private final int nodeId;
    private final Supplier<ClusterImage> image;
    private final HostedPartitions hosted;
    private final ImageLookups lookups;
    private final LongSupplier clockMs;
    /** KIP-392's {@code replica.selector.class}, or null: consumers always read from the leader. */
    private final ReplicaSelector replicaSelector;

    /**
     * @param replicaSelectorClass KIP-392's {@code replica.selector.class}, null or blank for none
     * @throws IllegalArgumentException when that class is not a usable {@link ReplicaSelector}
     */
    ReplicaReads(int nodeId, Supplier<ClusterImage> image, HostedPartitions hosted, ImageLookups lookups,
                 String replicaSelectorClass, LongSupplier clockMs) {
        this.nodeId = nodeId;
        this.image = image;
        this.hosted = hosted;
        this.lookups = lookups;
        this.clockMs = clockMs;
        this.replicaSelector = replicaSelector(replicaSelectorClass);
    }

    private static ReplicaSelector replicaSelector(String className) {
        if (className == null || className.isBlank()) {
            return null;
        }
        try {
            ReplicaSelector selector = Class.forName(className.trim()).asSubclass(ReplicaSelector.class)
                    .getDeclaredConstructor().newInstance();
            selector.configure(Map.of());
            return selector;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("Invalid value " + className + " for configuration "
                    + "replica.selector.class: not a usable org.apache.kafka.common.replica.ReplicaSelector (" + e
                    + ")", e);
        }
    }

    /** See {@link ReplicaManager#read(TopicPartition, int, long, int, boolean, IsolationLevel)}. */
    PartitionReadResult read(TopicPartition tp, int currentLeaderEpoch, long fetchOffset, int maxBytes,
                             boolean minOneMessage, IsolationLevel isolation) {
        return readCommitted(tp, true, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage, isolation);
    }

    /** See {@link ReplicaManager#readFromReplica(TopicPartition, int, long, int, boolean, IsolationLevel)}. */
    PartitionReadResult readFromReplica(TopicPartition tp, int currentLeaderEpoch, long fetchOffset, int maxBytes,
                                        boolean minOneMessage, IsolationLevel isolation) {
        return readCommitted(tp, replicaSelector == null, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage,
                isolation);
    }

    /**
     * Committed data (below the high watermark, or the last stable offset for {@code read_committed}) of the leader's
     * replica, or with {@code leaderOnly} off any one.
     */
    private PartitionReadResult readCommitted(TopicPartition tp, boolean leaderOnly, int currentLeaderEpoch,
                                      long fetchOffset, int maxBytes, boolean minOneMessage,
                                      IsolationLevel isolation) {
        try {
            Partition partition = leaderOnly ? hosted.leaderPartition(tp) : hosted.hostedPartition(tp);
            ReplicaManager.validateLeaderEpoch(partition, currentLeaderEpoch);
            PartitionLog log = partition.log();
            long lso = log.lastStableOffset(); // before the HW: never above the HW read below
            long hw = log.highWatermark();
            boolean committed = isolation == IsolationLevel.READ_COMMITTED;
            long maxOffset = committed ? lso : hw;
            FetchDataInfo data = log.read(fetchOffset, maxBytes, maxOffset, minOneMessage);
            List<AbortedTxn> aborted = null;
            if (committed) {
                aborted = data.records().sizeInBytes() == 0 ? List.of()
                        : log.collectAbortedTransactions(fetchOffset, maxOffset);
            }
            return new PartitionReadResult(Errors.NONE, data.records(), hw, log.logStartOffset(), lso, aborted);
        } catch (RuntimeException e) {
            return PartitionReadResult.error(Errors.forException(e));
        }
    }

    /** See {@link ReplicaManager#preferredReadReplica}. */
    OptionalInt preferredReadReplica(TopicPartition tp, long fetchOffset, ClientMetadata client) {
        if (replicaSelector == null || client.rackId() == null || client.rackId().isEmpty()) {
            return OptionalInt.empty();
        }
        Partition partition = hosted.get(tp);
        if (partition == null || !partition.isLeader()) {
            return OptionalInt.empty();
        }
        ClusterImage current = image.get();
        ReplicaView leader = view(current, nodeId, partition.log().logEndOffset(), 0);
        if (leader == null) {
            return OptionalInt.empty();
        }
        Set<ReplicaView> views = new HashSet<>();
        views.add(leader);
        partition.inSyncFollowersAt(fetchOffset).forEach((id, state) -> {
            ReplicaView v = lookups.brokerUnfenced(id) ? view(current, id, state[0], state[1]) : null;
            if (v != null) {
                views.add(v);
            }
        });
        return replicaSelector.select(tp, client, new PartitionView.DefaultPartitionView(views, leader))
                .filter(v -> v.endpoint().id() != nodeId)
                .map(v -> OptionalInt.of(v.endpoint().id()))
                .orElse(OptionalInt.empty());
    }

    private static ReplicaView view(ClusterImage current, int brokerId, long logEndOffset, long sinceCaughtUpMs) {
        BrokerRegistration b = current.brokers().get(brokerId);
        if (b == null || b.endpoints().isEmpty()) {
            return null;
        }
        BrokerRegistration.Endpoint ep = b.endpoints().getFirst();
        return new ReplicaView.DefaultReplicaView(new Node(brokerId, ep.host(), ep.port(), b.rack()), logEndOffset,
                sinceCaughtUpMs);
    }

    /** See {@link ReplicaManager#updateFollowerFetchState}. */
    Errors updateFollowerFetchState(TopicPartition tp, int replicaId, long replicaEpoch, int currentLeaderEpoch,
                                    long fetchOffset) {
        try {
            Partition partition = hosted.leaderPartition(tp);
            ReplicaManager.validateLeaderEpoch(partition, currentLeaderEpoch);
            partition.updateFollowerFetchState(replicaId, replicaEpoch, fetchOffset, partition.log().logEndOffset(),
                    clockMs.getAsLong());
            hosted.newLeaderships().fetched(replicaId, tp);
            return Errors.NONE;
        } catch (RuntimeException e) {
            return Errors.forException(e);
        }
    }

    /** See {@link ReplicaManager#readForFollower}. */
    PartitionReadResult readForFollower(TopicPartition tp, int currentLeaderEpoch, long fetchOffset, int maxBytes,
                                        boolean minOneMessage) {
        Partition partition;
        try {
            partition = hosted.leaderPartition(tp);
            ReplicaManager.validateLeaderEpoch(partition, currentLeaderEpoch);
        } catch (RuntimeException e) {
            return PartitionReadResult.error(Errors.forException(e));
        }
        PartitionLog log = partition.log();
        try {
            long lso = log.lastStableOffset();
            long hw = log.highWatermark();
            FetchDataInfo data = log.read(fetchOffset, maxBytes, log.logEndOffset(), minOneMessage);
            return new PartitionReadResult(Errors.NONE, data.records(), hw, log.logStartOffset(), lso, null);
        } catch (RuntimeException e) {
            Errors error = Errors.forException(e);
            return new PartitionReadResult(error, MemoryRecords.EMPTY, -1L,
                    error == Errors.OFFSET_OUT_OF_RANGE ? log.logStartOffset() : -1L);
        }
    }

    /** See {@link ReplicaManager#endOffsetForEpoch}. */
    Optional<EpochEndOffset> endOffsetForEpoch(TopicPartition tp, int currentLeaderEpoch, int leaderEpoch) {
        Partition partition = hosted.leaderPartition(tp);
        ReplicaManager.validateLeaderEpoch(partition, currentLeaderEpoch);
        return partition.log().endOffsetForEpoch(leaderEpoch);
    }

    /** Closes the replica selector, if any. */
    void close() {
        if (replicaSelector != null) {
            try {
                replicaSelector.close();
            } catch (IOException e) {
                LOGGER.debug("Closing the replica selector failed", e);
            }
        }
    }
}
