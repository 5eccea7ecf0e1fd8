package io.samsa.broker.replica;

import io.samsa.broker.config.TopicConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in step with the metadata image (Kafka's {@code ReplicaManager}): creates
 * the log of each partition it leads, deletes the logs of topics that are gone, appends produce batches and moves the
 * high watermark, and serves reads to fetches.
 *
 * <p>On a single node the ISR is the leader alone, so the high watermark follows the log end offset after each
 * append; replication will hold it back until followers catch up.
 *
 * <p>Thread-safe. Appends and reads may block on disk: call them from the broker's I/O pool, never a Netty event
 * loop.
 */
public final class ReplicaManager implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplicaManager.class);

    private final int nodeId;
    private final LogManager logManager;
    private final Supplier<ClusterImage> image;
    /** The broker-level log defaults under an image's dynamic broker configs (KIP-226). */
    private final Function<ClusterImage, LogConfig> brokerDefaults;
    private final DelayedFetchPurgatory purgatory;
    /** Partitions whose log could not be created (a full disk): logged once at ERROR, then at DEBUG until it works. */
    private final java.util.Set<TopicPartition> creationFailing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService metadataApplier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "samsa-metadata-applier");
        t.setDaemon(true);
        return t;
    });

    public ReplicaManager(int nodeId, LogManager logManager, Supplier<ClusterImage> image, LogConfig brokerDefaults,
                          DelayedFetchPurgatory purgatory) {
        this(nodeId, logManager, image, current -> brokerDefaults, purgatory);
    }

    /**
     * With broker-level log defaults that follow the dynamic broker configs of each image: a change of a topic's
     * configs or of the broker defaults reaches the topic's logs when the image is reconciled (next roll/append).
     */
    public ReplicaManager(int nodeId, LogManager logManager, Supplier<ClusterImage> image,
                          Function<ClusterImage, LogConfig> brokerDefaults, DelayedFetchPurgatory purgatory) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.image = image;
        this.brokerDefaults = brokerDefaults;
        this.purgatory = purgatory;
    }

    public static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** Called with each new metadata image (on the apply thread); does the file work on its own thread. */
    public void onImage(ClusterImage newImage) {
        metadataApplier.execute(() -> reconcile(newImage));
    }

    /**
     * Reconciles the hosted logs with the current image on the calling thread and returns when done: every partition
     * this broker leads has its log and its leader state (high watermark) restored. The broker calls it at start-up
     * before its listeners bind, so that no client sees a partition before its restored state.
     */
    public void reconcileNow() {
        reconcile(image.get());
    }

    private void reconcile(ClusterImage ignored) {
        ClusterImage current = image.get();
        for (TopicImage topic : current.topics().values()) {
            for (PartitionImage p : topic.partitions()) {
                if (p.replicas().contains(nodeId)) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                    try {
                        PartitionLog log = logManager.getOrCreate(tp, toKafka(topic.topicId()),
                                logConfig(current, topic.name()));
                        if (creationFailing.remove(tp)) {
                            LOGGER.info("Created the log after earlier failures topicPartition={}", tp);
                        }
                        if (p.leader() == nodeId) {
                            maybeIncrementHighWatermark(tp, log, p);
                        }
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
        for (Map.Entry<TopicPartition, PartitionLog> e : Map.copyOf(logManager.logs()).entrySet()) {
            TopicPartition tp = e.getKey();
            // Re-read the newest image: a log created meanwhile for a newer topic must survive.
            Optional<TopicImage> topic = image.get().topic(tp.topic());
            boolean sameTopic = topic.isPresent() && toKafka(topic.get().topicId()).equals(e.getValue().topicId());
            boolean hosted = topic.isPresent() && tp.partition() < topic.get().partitions().size()
                    && topic.get().partitions().get(tp.partition()).replicas().contains(nodeId);
            if (!hosted || !sameTopic) {
                try {
                    LOGGER.info("Deleting the log of {} (topic deleted or partition moved)", tp);
                    purgatory.partitionGone(tp);
                    logManager.delete(tp);
                } catch (IOException | RuntimeException ex) {
                    LOGGER.error("Could not delete the log of {}", tp, ex);
                }
            }
        }
    }

    /**
     * Leader state restored from disk (Kafka's {@code Partition.makeLeader} → {@code maybeIncrementLeaderHW}): the high
     * watermark is the smallest log end offset among the in-sync replicas. When the ISR is this leader alone, that is
     * its own log end offset, whatever the {@code replication-offset-checkpoint} said: the checkpoint is written only
     * periodically and at a clean shutdown, so after a crash it lags the log, and every acknowledged record above it
     * would stay invisible until the next append. The log end offset is what recovery validated batch by batch.
     */
    private void maybeIncrementHighWatermark(TopicPartition tp, PartitionLog log, PartitionImage p) {
        if (!p.isr().equals(java.util.List.of(nodeId))) {
            return; // followers in the ISR hold the high watermark back until they catch up (replication)
        }
        long before = log.highWatermark();
        log.updateHighWatermark(log.logEndOffset());
        if (log.highWatermark() > before) {
            LOGGER.info("High watermark restored to the log end offset topicPartition={} from={} to={}", tp, before,
                    log.highWatermark());
            purgatory.onAppend(tp);
        }
    }

    private LogConfig logConfig(ClusterImage current, String topic) {
        return TopicConfigs.toLogConfig(current.configs(ConfigResource.topic(topic)), brokerDefaults.apply(current));
    }

    /**
     * The log of a partition this broker leads, created on first use.
     *
     * @throws UnknownTopicOrPartitionException when the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     when another broker leads it
     */
    public PartitionLog leaderLog(TopicPartition tp) {
        ClusterImage current = image.get();
        TopicImage topic = current.topic(tp.topic()).orElseThrow(() ->
                new UnknownTopicOrPartitionException("Topic " + tp.topic() + " does not exist"));
        if (tp.partition() < 0 || tp.partition() >= topic.partitions().size()) {
            throw new UnknownTopicOrPartitionException("Partition " + tp + " does not exist");
        }
        PartitionImage p = topic.partitions().get(tp.partition());
        if (p.leader() != nodeId) {
            throw new NotLeaderOrFollowerException("Broker " + nodeId + " is not the leader of " + tp);
        }
        Optional<PartitionLog> log = logManager.get(tp);
        if (log.isPresent() && log.get().topicId().equals(toKafka(topic.topicId()))) {
            return log.get();
        }
        try {
            return logManager.getOrCreate(tp, toKafka(topic.topicId()), logConfig(current, tp.topic()));
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot create the log of " + tp, e);
        }
    }

    /** The leader epoch of a partition per the current image, or -1. */
    public int leaderEpoch(TopicPartition tp) {
        return image.get().topic(tp.topic())
                .filter(t -> tp.partition() >= 0 && tp.partition() < t.partitions().size())
                .map(t -> t.partitions().get(tp.partition()).leaderEpoch())
                .orElse(-1);
    }

    /**
     * Appends one partition's produce batch as leader and advances the high watermark (the ISR is the leader alone),
     * then wakes parked fetches of the partition.
     *
     * <p>The append itself runs on the caller's thread and never waits for an fsync. When {@code flush.messages}
     * requires the batch on disk first (durable mode, {@code flush.messages=1}), the returned future completes on the
     * log's flusher thread once the group-commit fsync covering the batch returned, and only then does the high
     * watermark pass it (as in Kafka, where the fsync precedes the high-watermark update); otherwise it is already
     * complete.
     *
     * @return the append's outcome; fails with {@link KafkaStorageException} when the fsync failed
     * @throws org.apache.kafka.common.errors.ApiException with the Kafka error for this partition when nothing was
     *         appended
     */
    public CompletableFuture<LogAppendInfo> appendAsLeader(TopicPartition tp, MemoryRecords records) {
        PartitionLog log = leaderLog(tp);
        LogAppendInfo info = log.appendAsLeader(records, Math.max(0, leaderEpoch(tp)));
        if (!info.awaitFlush()) {
            // in durable mode only a duplicate gets here: what others appended is visible once on disk, not before
            log.updateHighWatermark(log.config().flushMessages() == 1 ? log.recoveryPoint() : log.logEndOffset());
            if (!info.duplicate()) {
                purgatory.onAppend(tp);
            }
            return CompletableFuture.completedFuture(info);
        }
        long end = info.lastOffset() + 1;
        return log.flushedTo(end).thenApply(flushed -> {
            log.updateHighWatermark(end);
            purgatory.onAppend(tp);
            return info;
        });
    }

    /**
     * DeleteRecords as leader (Kafka's {@code deleteRecordsOnLeader}): moves the log start offset of {@code tp} to
     * {@code offset} (-1: the high watermark), deletes the segments below it and checkpoints it. On a single node the
     * low watermark is the leader's log start offset.
     *
     * @return the low watermark afterwards
     * @throws org.apache.kafka.common.errors.ApiException with the Kafka error for this partition
     *         (OFFSET_OUT_OF_RANGE, POLICY_VIOLATION, UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER)
     */
    public long deleteRecords(TopicPartition tp, long offset) {
        leaderLog(tp);
        return logManager.deleteRecords(tp, offset);
    }

    /**
     * Reads committed data (below the high watermark) of one partition for a consumer fetch.
     *
     * @param maxBytes      byte budget for this partition
     * @param minOneMessage return the first batch whole even when it exceeds {@code maxBytes} (KIP-74)
     */
    public PartitionReadResult read(TopicPartition tp, long fetchOffset, int maxBytes, boolean minOneMessage) {
        try {
            PartitionLog log = leaderLog(tp);
            long hw = log.highWatermark();
            FetchDataInfo data = log.read(fetchOffset, maxBytes, hw, minOneMessage);
            return new PartitionReadResult(Errors.NONE, data.records(), hw, log.logStartOffset());
        } catch (RuntimeException e) {
            return PartitionReadResult.error(Errors.forException(e));
        }
    }

    @Override
    public void close() {
        metadataApplier.shutdownNow();
    }
}
