package io.samsa.broker.replica;

import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts and their roles, kept in step with the metadata image (Kafka's
 * {@code ReplicaManager.applyDelta}): one {@link Partition} per replica assigned here, created with its log on first
 * use; made leader or follower as the image says, starting or stopping its fetch from the leader in the
 * {@link ReplicaFetcherManager}; its log's configs kept current; closed and deleted with its log when the topic is
 * gone or the replica moved away. Also the lookups every request starts with ({@link #hostedPartition},
 * {@link #leaderPartition}), the periodic ISR shrink check and the count of committed ISR changes.
 *
 * <p>Thread-safe. Images are reconciled on the single {@code samsa-metadata-applier} thread (which also runs the
 * partitions' callbacks), or at start-up on the caller's; a request thread may create a partition or apply its state
 * first when the image is ahead of that thread. Creating or replacing a partition is serialized on the map's monitor;
 * each {@link Partition} guards its own state.
 */
final class HostedPartitions {
    private static final Logger LOGGER = LoggerFactory.getLogger(HostedPartitions.class);

    private final int nodeId;
    private final LogManager logManager;
    private final Supplier<ClusterImage> image;
    private final ImageLookups lookups;
    private final DelayedFetchPurgatory purgatory;
    private final Partition.IsrUpdater isrUpdater;
    private final NewLeaderships newLeaderships;
    private final ReplicaFetcherManager fetchers;
    private final LongSupplier clockMs;
    private final ConcurrentHashMap<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    /** Set by {@link #takeRoles}. */
    private volatile boolean takingRoles;
    /** ISR shrinks and expands committed on partitions led here (Kafka's IsrShrinksPerSec/IsrExpandsPerSec). */
    private final LongAdder isrShrinks = new LongAdder();
    private final LongAdder isrExpands = new LongAdder();
    /** Partitions whose log could not be created (a full disk): logged once at ERROR, then at DEBUG until it works. */
    private final Set<TopicPartition> creationFailing = ConcurrentHashMap.newKeySet();
    private final ExecutorService metadataApplier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "samsa-metadata-applier");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param fetchers the follower side, owned (and closed) by the caller
     * @param clockMs  the partitions' clock
     */
    HostedPartitions(int nodeId, LogManager logManager, Supplier<ClusterImage> image, ImageLookups lookups,
                     DelayedFetchPurgatory purgatory, Partition.IsrUpdater isrUpdater, ReplicaFetcherManager fetchers,
                     LongSupplier clockMs) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.image = image;
        this.lookups = lookups;
        this.purgatory = purgatory;
        this.isrUpdater = isrUpdater;
        this.fetchers = fetchers;
        this.clockMs = clockMs;
        this.newLeaderships = new NewLeaderships(purgatory, clockMs);
    }

    /** See {@link ReplicaManager#onImage}. */
    void onImage(ClusterImage newImage) {
        try {
            metadataApplier.execute(() -> reconcile(newImage));
        } catch (RejectedExecutionException e) {
            LOGGER.debug("Image not reconciled: the replica manager is closed (the broker is stopping)");
        }
    }

    /** See {@link ReplicaManager#takeRoles}. */
    void takeRoles() {
        takingRoles = true;
    }

    /** Reconciles with the newest image (not {@code ignored}) on the calling thread, once roles are taken. */
    void reconcile(ClusterImage ignored) {
        if (!takingRoles) {
            return;
        }
        reconcileHosted();
        deleteUnhosted();
    }

    /** Every partition with a replica here: its log (with the topic's current configs) and its leader/follower state. */
    private void reconcileHosted() {
        ClusterImage current = image.get();
        for (TopicImage topic : current.topics().values()) {
            for (PartitionImage p : topic.partitions()) {
                if (p.replicas().contains(nodeId)) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                    try {
                        Partition partition = partition(tp, topic, current);
                        // topic or broker config changes reach the live log here (next roll/append uses them)
                        logManager.updateConfig(tp, lookups.logConfig(current, topic.name()));
                        if (creationFailing.remove(tp)) {
                            LOGGER.info("Created the log after earlier failures topicPartition={}", tp);
                        }
                        applyState(partition, p);
                    } catch (IOException | RuntimeException e) {
                        if (creationFailing.add(tp)) {
                            LOGGER.error("Could not create the log topicPartition={} error={} (retried with each "
                                    + "metadata change and on first use)", tp, e.toString());
                        } else {
                            LOGGER.debug("Could not create the log topicPartition={} error={}", tp, e.toString());
                        }
                    }
                }
            }
        }
    }

    /** Deletes the logs of topics that are gone and of partitions moved away from this broker. */
    private void deleteUnhosted() {
        for (Map.Entry<TopicPartition, PartitionLog> e : Map.copyOf(logManager.logs()).entrySet()) {
            TopicPartition tp = e.getKey();
            // Re-read the newest image: a log created meanwhile for a newer topic must survive.
            Optional<TopicImage> topic = image.get().topic(tp.topic());
            boolean sameTopic = topic.isPresent()
                    && ReplicaManager.toKafka(topic.get().topicId()).equals(e.getValue().topicId());
            boolean hosted = topic.isPresent() && tp.partition() < topic.get().partitions().size()
                    && topic.get().partitions().get(tp.partition()).replicas().contains(nodeId);
            if (!hosted || !sameTopic) {
                try {
                    LOGGER.info("Deleting the log of {} (topic deleted or partition moved)", tp);
                    fetchers.stopFollowing(tp);
                    Partition gone = partitions.remove(tp);
                    if (gone != null) {
                        gone.close();
                    }
                    purgatory.partitionGone(tp);
                    logManager.delete(tp);
                } catch (IOException | RuntimeException ex) {
                    LOGGER.error("Could not delete the log of {}", tp, ex);
                }
            }
        }
    }

    /** The partition state of {@code tp} for {@code topic}'s current id, created with its log on first use. */
    private Partition partition(TopicPartition tp, TopicImage topic, ClusterImage current) throws IOException {
        Partition existing = partitions.get(tp);
        if (existing != null && existing.topicId().equals(topic.topicId())) {
            return existing;
        }
        synchronized (partitions) {
            existing = partitions.get(tp);
            if (existing != null && existing.topicId().equals(topic.topicId())) {
                return existing;
            }
            PartitionLog log = logManager.getOrCreate(tp, ReplicaManager.toKafka(topic.topicId()),
                    lookups.logConfig(current, topic.name()));
            Partition created = new Partition(tp, topic.topicId(), log, nodeId, countingIsrChanges(tp),
                    lookups::brokerUnfenced, () -> purgatory.onAppend(tp), clockMs, metadataApplier);
            if (existing != null) {
                existing.close();
            }
            partitions.put(tp, created);
            return created;
        }
    }

    /** Makes {@code partition} leader or follower per {@code p}, starting or stopping its fetcher. */
    private void applyState(Partition partition, PartitionImage p) {
        Partition.Transition transition = partition.apply(p);
        TopicPartition tp = partition.topicPartition();
        if (transition == Partition.Transition.BECAME_LEADER) {
            newLeaderships.began(tp, p.replicas().stream().filter(r -> r != nodeId).toList());
        }
        if (partition.isLeader() || p.leader() < 0) {
            if (transition != Partition.Transition.NONE || p.leader() < 0) {
                fetchers.stopFollowing(tp);
            }
        } else if (transition == Partition.Transition.BECAME_FOLLOWER || p.leader() == partition.leaderId()) {
            fetchers.follow(partition, partition.leaderId(), partition.leaderEpoch());
        }
    }

    /** Leaderships that began here, and the followers' first fetches of them ({@link NewLeaderships}). */
    NewLeaderships newLeaderships() {
        return newLeaderships;
    }

    /** See {@link ReplicaManager#leaderPartition}. */
    Partition leaderPartition(TopicPartition tp) {
        Partition partition = hostedPartition(tp);
        if (!partition.isLeader()) {
            throw new NotLeaderOrFollowerException("Broker " + nodeId + " is not the leader of " + tp);
        }
        return partition;
    }

    /**
     * The partition state of a partition with a replica here, brought up to the current image.
     *
     * @throws UnknownTopicOrPartitionException when the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     before {@link #takeRoles}, or when no replica of it is assigned here
     * @throws KafkaStorageException            when its log cannot be created
     */
    Partition hostedPartition(TopicPartition tp) {
        if (!takingRoles) {
            throw new NotLeaderOrFollowerException("Broker " + nodeId + " is starting: it takes no partition role "
                    + "before the metadata holds its registration");
        }
        ClusterImage current = image.get();
        TopicImage topic = current.topic(tp.topic()).orElseThrow(() ->
                new UnknownTopicOrPartitionException("Topic " + tp.topic() + " does not exist"));
        if (tp.partition() < 0 || tp.partition() >= topic.partitions().size()) {
            throw new UnknownTopicOrPartitionException("Partition " + tp + " does not exist");
        }
        PartitionImage p = topic.partitions().get(tp.partition());
        if (!p.replicas().contains(nodeId)) {
            throw new NotLeaderOrFollowerException("Broker " + nodeId + " hosts no replica of " + tp);
        }
        try {
            Partition partition = partition(tp, topic, current);
            if (!partition.hasApplied(p)) {
                applyState(partition, p); // the image is ahead of the reconciliation thread
            }
            return partition;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot create the log of " + tp, e);
        }
    }

    /** The partition state of {@code tp} as it is, or null when not hosted here (no creation, no image check). */
    Partition get(TopicPartition tp) {
        return partitions.get(tp);
    }

    /** See {@link ReplicaManager#leaderEpoch}. */
    int leaderEpoch(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition != null && partition.leaderEpoch() >= 0) {
            return partition.leaderEpoch();
        }
        return image.get().topic(tp.topic())
                .filter(t -> tp.partition() >= 0 && tp.partition() < t.partitions().size())
                .map(t -> t.partitions().get(tp.partition()).leaderEpoch())
                .orElse(-1);
    }

    /** See {@link ReplicaManager#maybeShrinkIsr}. */
    void maybeShrinkIsr(long lagTimeMaxMs) {
        for (Partition partition : partitions.values()) {
            if (partition.isLeader()) {
                try {
                    partition.maybeShrinkIsr(lagTimeMaxMs);
                    partition.purgeCompletedWaiters();
                } catch (RuntimeException e) {
                    LOGGER.warn("ISR check of {} failed: {}", partition.topicPartition(), e.toString());
                }
            }
        }
    }

    /** {@link #isrUpdater} counting the committed shrinks and expands of {@code tp} (metrics). */
    private Partition.IsrUpdater countingIsrChanges(TopicPartition tp) {
        return (topicId, partition, leaderEpoch, partitionEpoch, newIsr) -> {
            Partition current = partitions.get(tp);
            int before = current == null ? -1 : current.isr().size();
            return isrUpdater.alterPartition(topicId, partition, leaderEpoch, partitionEpoch, newIsr)
                    .whenComplete((committed, error) -> {
                        if (error == null && before >= 0 && newIsr.size() < before) {
                            isrShrinks.increment();
                        } else if (error == null && before >= 0 && newIsr.size() > before) {
                            isrExpands.increment();
                        }
                    });
        };
    }

    /** Every partition hosted here, a live view (see {@link ReplicaManager#hostedPartitions}). */
    Collection<Partition> all() {
        return partitions.values();
    }

    long isrShrinks() {
        return isrShrinks.sum();
    }

    long isrExpands() {
        return isrExpands.sum();
    }

    /** Stops reconciling (later images are dropped) and closes every partition; the fetchers are the caller's. */
    void close() {
        metadataApplier.shutdownNow();
        partitions.values().forEach(Partition::close);
    }
}
