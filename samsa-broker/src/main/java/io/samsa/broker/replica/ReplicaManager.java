package io.samsa.broker.replica;

import io.samsa.broker.config.TopicConfigs;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.AppendOrigin;
import io.samsa.storage.FetchDataInfo;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.txn.AbortedTxn;
import io.samsa.storage.txn.VerificationGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.PartitionView;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.replica.ReplicaView;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, as leader or follower, kept in step with the metadata image (Kafka's
 * {@code ReplicaManager}): creates the log and the {@link Partition} state of each replica assigned here, makes it
 * leader or follower as the image says (followers fetch through the {@link ReplicaFetcherManager}), deletes the logs
 * of topics that are gone or moved away, appends produce batches as leader and waits for the ISR for {@code acks=all},
 * and serves reads to consumers (below the high watermark) and followers (up to the log end offset).
 *
 * <p>Thread-safe. Appends and reads may block on disk: call them from the broker's I/O pool, never a Netty event
 * loop.
 */
public final class ReplicaManager implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReplicaManager.class);
    /** The {@code min.insync.replicas} key (topic, dynamic broker or static broker config). */
    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final int nodeId;
    private final LogManager logManager;
    private final Supplier<ClusterImage> image;
    /** The broker-level log defaults under an image's dynamic broker configs (KIP-226). */
    private final Function<ClusterImage, LogConfig> brokerDefaults;
    private final DelayedFetchPurgatory purgatory;
    private final ReplicationSettings settings;
    private final int defaultMinInsyncReplicas;
    private final Partition.IsrUpdater isrUpdater;
    private final ReplicaFetcherManager fetchers;
    /** KIP-392's {@code replica.selector.class}, or null: consumers always read from the leader. */
    private final ReplicaSelector replicaSelector;
    private final LongSupplier clockMs = System::currentTimeMillis;
    private final ConcurrentHashMap<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    /** Per-topic traffic for the metrics; {@link TopicTraffic#NONE} until the broker sets one. */
    private volatile TopicTraffic traffic = TopicTraffic.NONE;
    /** Set by {@link #takeRoles}. */
    private volatile boolean takingRoles;
    /** ISR shrinks and expands committed on partitions led here (Kafka's IsrShrinksPerSec/IsrExpandsPerSec). */
    private final java.util.concurrent.atomic.LongAdder isrShrinks = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder isrExpands = new java.util.concurrent.atomic.LongAdder();
    /** Partitions whose log could not be created (a full disk): logged once at ERROR, then at DEBUG until it works. */
    private final Set<TopicPartition> creationFailing = ConcurrentHashMap.newKeySet();
    private final ExecutorService metadataApplier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "samsa-metadata-applier");
        t.setDaemon(true);
        return t;
    });

    /**
     * Takes no partition role until {@link #takeRoles}.
     *
     * @param brokerDefaults           broker-level log defaults following each image's dynamic broker configs: a change
     *                                 reaches the topic's logs when the image is reconciled
     * @param defaultMinInsyncReplicas the static {@code min.insync.replicas} (topic and dynamic configs override it)
     * @param isrUpdater               sends AlterPartition to the controller
     * @param brokerEpoch              this broker's epoch (sent with follower fetches), -1 before registration
     */
    public ReplicaManager(int nodeId, LogManager logManager, Supplier<ClusterImage> image,
                          Function<ClusterImage, LogConfig> brokerDefaults, DelayedFetchPurgatory purgatory,
                          ReplicationSettings settings, int defaultMinInsyncReplicas, Partition.IsrUpdater isrUpdater,
                          LongSupplier brokerEpoch) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.image = image;
        this.brokerDefaults = brokerDefaults;
        this.purgatory = purgatory;
        this.settings = settings;
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
        this.isrUpdater = isrUpdater;
        this.fetchers = new ReplicaFetcherManager(nodeId, settings, this::brokerAddress, brokerEpoch,
                purgatory::onAppend);
        this.replicaSelector = replicaSelector(settings.replicaSelectorClass());
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

    public static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** Called with each new metadata image (on the apply thread); does the file work on its own thread. */
    public void onImage(ClusterImage newImage) {
        try {
            metadataApplier.execute(() -> reconcile(newImage));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOGGER.debug("Image not reconciled: the replica manager is closed (the broker is stopping)");
        }
    }

    /**
     * From now on partitions take their roles (leader, follower) from the image, on reconciliation and on first use;
     * before, nothing is reconciled and every partition answers NOT_LEADER_OR_FOLLOWER. The broker calls it from the
     * first image that holds its own registration: the image replayed at start-up may still name this node leader of
     * what a crashed process with the same {@code node.id} led, at that process's leader epoch (Kafka's broker
     * likewise publishes metadata to its replicas only once caught up to its registration, KIP-631).
     */
    public void takeRoles() {
        takingRoles = true;
    }

    /**
     * Reconciles the hosted logs with the current image on the calling thread and returns when done: every partition
     * assigned here has its log, and those it leads their leader state (high watermark) restored. The broker calls it
     * at the end of start-up, once the image holds its registration (roles never follow an image without it).
     */
    public void reconcileNow() {
        reconcile(image.get());
    }

    private void reconcile(ClusterImage ignored) {
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
                        logManager.updateConfig(tp, logConfig(current, topic.name()));
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
            boolean sameTopic = topic.isPresent() && toKafka(topic.get().topicId()).equals(e.getValue().topicId());
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
            PartitionLog log = logManager.getOrCreate(tp, toKafka(topic.topicId()), logConfig(current, topic.name()));
            Partition created = new Partition(tp, topic.topicId(), log, nodeId, countingIsrChanges(tp), this::brokerUnfenced,
                    () -> purgatory.onAppend(tp), clockMs, metadataApplier);
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
        if (partition.isLeader() || p.leader() < 0) {
            if (transition != Partition.Transition.NONE || p.leader() < 0) {
                fetchers.stopFollowing(tp);
            }
        } else if (transition == Partition.Transition.BECAME_FOLLOWER || p.leader() == partition.leaderId()) {
            fetchers.follow(partition, partition.leaderId(), partition.leaderEpoch());
        }
    }

    private boolean brokerUnfenced(int brokerId) {
        BrokerRegistration b = image.get().brokers().get(brokerId);
        return b != null && !b.fenced();
    }

    /** A broker's endpoint on the inter-broker listener (its first endpoint when it has no such listener). */
    private Optional<InetSocketAddress> brokerAddress(int brokerId) {
        BrokerRegistration b = image.get().brokers().get(brokerId);
        if (b == null || b.endpoints().isEmpty()) {
            return Optional.empty();
        }
        BrokerRegistration.Endpoint ep = b.endpoints().stream()
                .filter(e -> e.listener().equals(settings.interBrokerListener()))
                .findFirst().orElse(b.endpoints().getFirst());
        return Optional.of(InetSocketAddress.createUnresolved(ep.host(), ep.port()));
    }

    private LogConfig logConfig(ClusterImage current, String topic) {
        return TopicConfigs.toLogConfig(current.configs(ConfigResource.topic(topic)), brokerDefaults.apply(current));
    }

    /** {@code min.insync.replicas} of a topic: its own config, else the dynamic broker/cluster one, else static. */
    /** The {@code min.insync.replicas} of {@code topic} (topic config, dynamic broker default, static), for metrics. */
    public int minInsyncReplicas(String topic) {
        return minInsyncReplicas(image.get(), topic);
    }

    private int minInsyncReplicas(ClusterImage current, String topic) {
        for (ConfigResource resource : List.of(ConfigResource.topic(topic),
                ConfigResource.broker(Integer.toString(nodeId)), ConfigResource.clusterDefault())) {
            String value = current.configs(resource).get(MIN_INSYNC_REPLICAS);
            if (value != null) {
                try {
                    return Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    LOGGER.debug("Ignoring an invalid {}={} on {}", MIN_INSYNC_REPLICAS, value, resource);
                }
            }
        }
        return defaultMinInsyncReplicas;
    }

    /**
     * The partition state of a partition this broker leads, created with its log on first use, brought up to the
     * current image first.
     *
     * @throws UnknownTopicOrPartitionException when the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     when another broker leads it (or none)
     */
    public Partition leaderPartition(TopicPartition tp) {
        Partition partition = hostedPartition(tp);
        if (!partition.isLeader()) {
            throw new NotLeaderOrFollowerException("Broker " + nodeId + " is not the leader of " + tp);
        }
        return partition;
    }

    /** The partition state of a partition with a replica here, brought up to the current image. */
    private Partition hostedPartition(TopicPartition tp) {
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

    /** The log of a partition this broker leads (see {@link #leaderPartition}). */
    public PartitionLog leaderLog(TopicPartition tp) {
        return leaderPartition(tp).log();
    }

    /** The leader epoch of a partition per this broker's state (else the current image), or -1. */
    public int leaderEpoch(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition != null && partition.leaderEpoch() >= 0) {
            return partition.leaderEpoch();
        }
        return image.get().topic(tp.topic())
                .filter(t -> tp.partition() >= 0 && tp.partition() < t.partitions().size())
                .map(t -> t.partitions().get(tp.partition()).leaderEpoch())
                .orElse(-1);
    }

    /**
     * KIP-320: a request's {@code CurrentLeaderEpoch} against this leader's epoch. -1 (not sent) always passes.
     *
     * @throws FencedLeaderEpochException  the client's epoch is older (its metadata is stale)
     * @throws UnknownLeaderEpochException the client's epoch is newer (this broker's metadata lags)
     */
    public static void validateLeaderEpoch(Partition partition, int currentLeaderEpoch) {
        if (currentLeaderEpoch < 0) {
            return;
        }
        int epoch = partition.leaderEpoch();
        if (currentLeaderEpoch < epoch) {
            throw new FencedLeaderEpochException("The leader epoch " + currentLeaderEpoch + " of the request is older "
                    + "than the current leader epoch " + epoch + " of " + partition.topicPartition());
        }
        if (currentLeaderEpoch > epoch) {
            throw new UnknownLeaderEpochException("The leader epoch " + currentLeaderEpoch + " of the request is newer "
                    + "than the current leader epoch " + epoch + " of " + partition.topicPartition());
        }
    }

    /**
     * Appends one partition's produce batch as leader, then completes per {@code acks}: 0 and 1 once appended (in
     * durable mode, {@code flush.messages=1}, once the group-commit fsync covering it returned), -1 (all) once the high
     * watermark passed the batch, i.e. every in-sync replica has it (Kafka's {@code DelayedProduce}).
     *
     * <p>For {@code acks=all} the committed ISR must have at least {@code min.insync.replicas} members before the
     * append (NOT_ENOUGH_REPLICAS, nothing appended) and when the high watermark passes the batch
     * (NOT_ENOUGH_REPLICAS_AFTER_APPEND: appended, not acknowledged). A retried duplicate batch waits for its original
     * offsets the same way.
     *
     * @param timeoutMs the longest an {@code acks=all} append waits for the ISR (the request's timeout); then
     *                  REQUEST_TIMED_OUT
     * @return the append's outcome, failing with the Kafka error of the partition
     * @throws org.apache.kafka.common.errors.ApiException with the Kafka error for this partition when nothing was
     *         appended
     */
    public CompletableFuture<LogAppendInfo> appendAsLeader(TopicPartition tp, MemoryRecords records, short acks,
                                                           long timeoutMs) {
        return appendAsLeader(tp, records, acks, timeoutMs, AppendOrigin.CLIENT);
    }

    /**
     * {@link #appendAsLeader(TopicPartition, MemoryRecords, short, long)} on behalf of {@code origin}: a
     * {@link AppendOrigin#COORDINATOR} append may carry a control batch (a transaction marker) and has no sequence
     * checks, only producer epoch checks (Kafka's {@code AppendOrigin}).
     *
     * @throws org.apache.kafka.common.errors.ApiException with the Kafka error for this partition when nothing was
     *         appended (also INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED, INVALID_TXN_STATE)
     */
    public CompletableFuture<LogAppendInfo> appendAsLeader(TopicPartition tp, MemoryRecords records, short acks,
                                                           long timeoutMs, AppendOrigin origin) {
        return appendAsLeader(tp, records, acks, timeoutMs, origin, null);
    }

    /**
     * A client append whose transaction this leader verified with the coordinator (KIP-890 part 1): see
     * {@link PartitionLog#appendAsLeader(MemoryRecords, int, AppendOrigin, VerificationGuard)}.
     *
     * @param guard null when the append needs no verification
     */
    public CompletableFuture<LogAppendInfo> appendAsLeader(TopicPartition tp, MemoryRecords records, short acks,
                                                           long timeoutMs, AppendOrigin origin,
                                                           VerificationGuard guard) {
        Partition partition = leaderPartition(tp);
        int minIsr = acks == -1 ? minInsyncReplicas(image.get(), tp.topic()) : 0;
        LogAppendInfo info = partition.appendAsLeader(records, minIsr, origin, guard);
        if (!info.duplicate()) {
            purgatory.onAppend(tp); // wakes the followers' parked fetches (and consumers' when the HW moved)
            traffic.appended(tp.topic(), info.recordCount(), records.sizeInBytes());
        }
        long end = info.lastOffset() + 1;
        PartitionLog log = partition.log();
        CompletableFuture<LogAppendInfo> local = info.awaitFlush()
                ? log.flushedTo(end).thenApply(flushed -> {
                    partition.maybeIncrementHighWatermark();
                    return info;
                })
                : CompletableFuture.completedFuture(info);
        if (acks != -1) {
            return local;
        }
        return local.thenCompose(i -> partition.awaitHighWatermark(end))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((v, e) -> {
                    if (e != null) {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause() : e;
                        if (cause instanceof TimeoutException) {
                            throw new org.apache.kafka.common.errors.TimeoutException("The in-sync replicas of "
                                    + tp + " did not all acknowledge offset " + info.lastOffset() + " within "
                                    + timeoutMs + " ms (isr " + partition.isr() + ")");
                        }
                        throw cause instanceof RuntimeException re ? re
                                : new java.util.concurrent.CompletionException(cause);
                    }
                    if (partition.isr().size() < minIsr) {
                        throw new NotEnoughReplicasAfterAppendException("The size of the current ISR "
                                + partition.isr() + " is insufficient to satisfy the min.isr requirement of " + minIsr
                                + " for partition " + tp);
                    }
                    return info;
                });
    }

    /**
     * Appends a transaction marker (a control batch with an {@code EndTransactionMarker}, KIP-98; Kafka's
     * {@code MemoryRecords.withEndTransactionMarker}) as leader with {@code acks=all}, origin
     * {@link AppendOrigin#COORDINATOR}; the leader epoch is stamped by the append. The marker closes the producer's
     * transaction in this partition; parked {@code read_committed} fetches wake when the high watermark passes it and
     * the last stable offset moves.
     *
     * @param result    COMMIT or ABORT
     * @param timeoutMs how long the append may wait for the ISR
     * @return completes once the ISR has it; fails with the partition's Kafka error (NOT_LEADER_OR_FOLLOWER,
     *         UNKNOWN_TOPIC_OR_PARTITION, INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED, NOT_ENOUGH_REPLICAS,
     *         REQUEST_TIMED_OUT, KAFKA_STORAGE_ERROR)
     */
    public CompletableFuture<LogAppendInfo> appendTxnMarker(TopicPartition tp, long producerId, short producerEpoch,
                                                            int coordinatorEpoch, TransactionResult result,
                                                            long timeoutMs) {
        ControlRecordType type = result == TransactionResult.COMMIT ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT;
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(clockMs.getAsLong(), producerId, producerEpoch,
                new EndTransactionMarker(type, coordinatorEpoch));
        try {
            return appendAsLeader(tp, marker, (short) -1, timeoutMs, AppendOrigin.COORDINATOR);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * DeleteRecords as leader (Kafka's {@code deleteRecordsOnLeader}): moves the log start offset of {@code tp} to
     * {@code offset} (-1: the high watermark), deletes the segments below it and checkpoints it.
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
     * Reads committed data (below the high watermark) of one partition for a consumer fetch, from the leader.
     *
     * @param currentLeaderEpoch the consumer's view of the leader epoch (KIP-320), -1 when not sent
     * @param maxBytes           byte budget for this partition
     * @param minOneMessage      return the first batch whole even when it exceeds {@code maxBytes} (KIP-74)
     */
    public PartitionReadResult read(TopicPartition tp, int currentLeaderEpoch, long fetchOffset, int maxBytes,
                                    boolean minOneMessage) {
        return read(tp, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage, IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * {@link #read(TopicPartition, int, long, int, boolean)} at {@code isolation} (KIP-98): {@code read_committed}
     * reads only below the last stable offset and gets the aborted transactions of the range read.
     */
    public PartitionReadResult read(TopicPartition tp, int currentLeaderEpoch, long fetchOffset, int maxBytes,
                                    boolean minOneMessage, IsolationLevel isolation) {
        return readCommitted(tp, true, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage, isolation);
    }

    /**
     * Committed data (below the high watermark, or the last stable offset for {@code read_committed}) of the leader's
     * replica, or with {@code leaderOnly} off any one.
     */
    private PartitionReadResult readCommitted(TopicPartition tp, boolean leaderOnly, int currentLeaderEpoch,
                                              long fetchOffset, int maxBytes, boolean minOneMessage,
                                              IsolationLevel isolation) {
        try {
            Partition partition = leaderOnly ? leaderPartition(tp) : hostedPartition(tp);
            validateLeaderEpoch(partition, currentLeaderEpoch);
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

    /** {@link #read(TopicPartition, int, long, int, boolean)} without a leader epoch. */
    public PartitionReadResult read(TopicPartition tp, long fetchOffset, int maxBytes, boolean minOneMessage) {
        return read(tp, -1, fetchOffset, maxBytes, minOneMessage);
    }

    /**
     * KIP-392: a consumer that may read from followers (Fetch v11+) reads committed data from this broker whether it
     * leads the partition or follows it, up to this replica's high watermark; its {@code CurrentLeaderEpoch} is
     * checked against the epoch this replica knows. Without a {@code replica.selector.class} only leaders serve
     * consumers, as in Kafka (a follower answers NOT_LEADER_OR_FOLLOWER).
     */
    public PartitionReadResult readFromReplica(TopicPartition tp, int currentLeaderEpoch, long fetchOffset,
                                               int maxBytes, boolean minOneMessage) {
        return readFromReplica(tp, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage,
                IsolationLevel.READ_UNCOMMITTED);
    }

    /** {@link #readFromReplica(TopicPartition, int, long, int, boolean)} at {@code isolation} (KIP-98). */
    public PartitionReadResult readFromReplica(TopicPartition tp, int currentLeaderEpoch, long fetchOffset,
                                               int maxBytes, boolean minOneMessage, IsolationLevel isolation) {
        return readCommitted(tp, replicaSelector == null, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage,
                isolation);
    }

    /**
     * KIP-392 on the leader: the replica the {@code replica.selector.class} prefers for this consumer (its
     * {@code client.rack} against the in-sync replicas' racks that already have {@code fetchOffset}), when that is not
     * this leader. Empty without a selector or a rack, or when the leader is the best choice.
     */
    public OptionalInt preferredReadReplica(TopicPartition tp, long fetchOffset, ClientMetadata client) {
        if (replicaSelector == null || client.rackId() == null || client.rackId().isEmpty()) {
            return OptionalInt.empty();
        }
        Partition partition = partitions.get(tp);
        if (partition == null || !partition.isLeader()) {
            return OptionalInt.empty();
        }
        ClusterImage current = image.get();
        ReplicaView leader = view(current, nodeId, partition.log().logEndOffset(), 0);
        if (leader == null) {
            return OptionalInt.empty();
        }
        Set<ReplicaView> views = new java.util.HashSet<>();
        views.add(leader);
        partition.inSyncFollowersAt(fetchOffset).forEach((id, state) -> {
            ReplicaView v = brokerUnfenced(id) ? view(current, id, state[0], state[1]) : null;
            if (v != null) {
                views.add(v);
            }
        });
        return replicaSelector.select(tp, client, new PartitionView.DefaultPartitionView(views, leader))
                .filter(v -> v.endpoint().id() != nodeId)
                .map(v -> OptionalInt.of(v.endpoint().id()))
                .orElse(OptionalInt.empty());
    }

    private ReplicaView view(ClusterImage current, int brokerId, long logEndOffset, long sinceCaughtUpMs) {
        BrokerRegistration b = current.brokers().get(brokerId);
        if (b == null || b.endpoints().isEmpty()) {
            return null;
        }
        BrokerRegistration.Endpoint ep = b.endpoints().getFirst();
        return new ReplicaView.DefaultReplicaView(new org.apache.kafka.common.Node(brokerId, ep.host(), ep.port(),
                b.rack()), logEndOffset, sinceCaughtUpMs);
    }

    /**
     * Records a follower's fetch of {@code tp} at {@code fetchOffset} (its log end offset), which may add it to the ISR
     * and move the high watermark. Call once per fetch request, before reading.
     *
     * @return NONE, or the partition's error (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, ...)
     */
    public Errors updateFollowerFetchState(TopicPartition tp, int replicaId, int currentLeaderEpoch,
                                           long fetchOffset) {
        try {
            Partition partition = leaderPartition(tp);
            validateLeaderEpoch(partition, currentLeaderEpoch);
            partition.updateFollowerFetchState(replicaId, fetchOffset, partition.log().logEndOffset(),
                    clockMs.getAsLong());
            return Errors.NONE;
        } catch (RuntimeException e) {
            return Errors.forException(e);
        }
    }

    /**
     * Reads a leader's data for a follower: up to the log end offset, with the high watermark for the follower to
     * take. On OFFSET_OUT_OF_RANGE the result still carries the leader's log start offset, so a follower that fell
     * behind it can restart its log there.
     */
    public PartitionReadResult readForFollower(TopicPartition tp, int currentLeaderEpoch, long fetchOffset,
                                               int maxBytes, boolean minOneMessage) {
        Partition partition;
        try {
            partition = leaderPartition(tp);
            validateLeaderEpoch(partition, currentLeaderEpoch);
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

    /**
     * OffsetsForLeaderEpoch on the leader (KIP-101/279): where {@code leaderEpoch} ends in this leader's log (the
     * largest epoch at or below it and its end offset), after checking {@code currentLeaderEpoch} (KIP-320).
     *
     * @return empty when the log has no epoch at or below {@code leaderEpoch} (UNDEFINED_EPOCH and
     *         UNDEFINED_EPOCH_OFFSET on the wire)
     * @throws org.apache.kafka.common.errors.ApiException the partition's error
     */
    public Optional<io.samsa.storage.EpochEndOffset> endOffsetForEpoch(TopicPartition tp, int currentLeaderEpoch,
                                                                       int leaderEpoch) {
        Partition partition = leaderPartition(tp);
        validateLeaderEpoch(partition, currentLeaderEpoch);
        return partition.log().endOffsetForEpoch(leaderEpoch);
    }

    /** Proposes ISR removals of lagging followers on every partition led here; run periodically. */
    public void maybeShrinkIsr() {
        for (Partition partition : partitions.values()) {
            if (partition.isLeader()) {
                try {
                    partition.maybeShrinkIsr(settings.replicaLagTimeMaxMs());
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

    /** Sets the per-topic traffic hook (metrics); thread-safe. */
    public void traffic(TopicTraffic traffic) {
        this.traffic = java.util.Objects.requireNonNull(traffic, "traffic");
    }

    /** The per-topic traffic hook ({@link TopicTraffic#NONE} without metrics). */
    public TopicTraffic traffic() {
        return traffic;
    }

    /** Every partition hosted here (leader or follower), a live view: read-only, for metrics and tools. */
    public java.util.Collection<Partition> hostedPartitions() {
        return java.util.Collections.unmodifiableCollection(partitions.values());
    }

    /** ISR shrinks committed on partitions led here since start. */
    public long isrShrinks() {
        return isrShrinks.sum();
    }

    /** ISR expansions committed on partitions led here since start. */
    public long isrExpands() {
        return isrExpands.sum();
    }

    /** The replication settings ({@code replica.*}). */
    public ReplicationSettings settings() {
        return settings;
    }

    /** The partition state of {@code tp} if hosted here (tests, DescribeLogDirs). */
    public Optional<Partition> partitionState(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    @Override
    public void close() {
        if (replicaSelector != null) {
            try {
                replicaSelector.close();
            } catch (IOException e) {
                LOGGER.debug("Closing the replica selector failed", e);
            }
        }
        fetchers.close();
        metadataApplier.shutdownNow();
        partitions.values().forEach(Partition::close);
    }
}
