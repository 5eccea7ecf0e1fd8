package io.samsa.broker.group;

import io.samsa.coordinator.runtime.SchedulerTimer;
import io.samsa.coordinator.runtime.SerialExecutor;
import io.samsa.broker.group.classic.ClassicGroupManager;
import io.samsa.broker.group.classic.ClassicMembership;
import io.samsa.broker.group.record.CoordinatorRecord;
import io.samsa.broker.group.record.RecordType;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this broker (Kafka's {@code GroupCoordinatorService}): one {@link GroupCoordinatorShard}
 * per {@code __consumer_offsets} partition this broker leads, loaded from the partition's log when it becomes led
 * here. The coordinator of group G is the leader of partition {@code Utils.abs(G.hashCode()) % partitions}.
 *
 * <p>{@code __consumer_offsets} is created on first need (FindCoordinator) with {@code offsets.topic.num.partitions},
 * replication {@code min(offsets.topic.replication.factor, live brokers)}, {@code cleanup.policy=compact} and
 * {@code segment.bytes=offsets.topic.segment.bytes}.
 *
 * <p>Requests for a group run on its shard's serial executor ({@link #onShard}); they fail with NOT_COORDINATOR when
 * another broker leads the partition, COORDINATOR_LOAD_IN_PROGRESS while it loads, and COORDINATOR_NOT_AVAILABLE
 * before the topic exists. As {@link TransactionCompletion} it writes the transaction markers of
 * {@code __consumer_offsets} (WriteTxnMarkers) and applies them to the pending transactional offsets. Thread-safe.
 */
public final class GroupCoordinator implements TransactionCompletion, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupCoordinator.class);
    public static final String TOPIC = Topic.GROUP_METADATA_TOPIC_NAME;

    /** A loaded (or loading) shard with the logic that runs on it. */
    public record ShardHandle(GroupCoordinatorShard shard, ClassicGroupManager classic, ClassicMembership membership,
                              OffsetManager offsets) {
    }

    /** Creates {@code __consumer_offsets} with the given partitions, replication and configs. */
    @FunctionalInterface
    public interface TopicCreation {
        CompletableFuture<?> create(String name, int partitions, short replication, Map<String, String> configs);
    }

    private final int nodeId;
    private final GroupConfig config;
    private final Supplier<ClusterImage> image;
    private final ReplicaManager replicas;
    private final CoordinatorAppender appender;
    private final TopicCreation topicCreation;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService pool;
    private final SerialExecutor serial;
    private final Map<Integer, ShardHandle> shards = new ConcurrentHashMap<>();
    /** Partitions whose last load failed: the failure is logged once, the retries (one per request) at DEBUG. */
    private final Set<Integer> failedLoads = ConcurrentHashMap.newKeySet();
    private final Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers =
            new EnumMap<>(RecordType.class);
    private final Object lifecycle = new Object();
    private volatile CompletableFuture<?> topicCreating;
    private volatile Set<String> knownTopics = Set.of();
    private volatile boolean closed;

    public GroupCoordinator(int nodeId, GroupConfig config, Supplier<ClusterImage> image, ReplicaManager replicas,
                            TopicCreation topicCreation, ScheduledExecutorService scheduler) {
        this.nodeId = nodeId;
        this.config = config;
        this.image = image;
        this.replicas = replicas;
        this.appender = new LogAppender(replicas);
        this.topicCreation = topicCreation;
        this.scheduler = scheduler;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.coordinatorThreads(), r -> {
            Thread t = new Thread(r, "samsa-group-coordinator-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.serial = new SerialExecutor(pool);
    }

    public GroupConfig config() {
        return config;
    }

    /**
     * Registers how to replay a KIP-848 record type when shards load (call before {@link #start}).
     *
     * @throws IllegalArgumentException for a classic type
     */
    public void registerReplayer(RecordType type, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw> replayer) {
        if (!type.isConsumerGroupRecord()) {
            throw new IllegalArgumentException(type + " is replayed by the coordinator itself");
        }
        synchronized (lifecycle) {
            replayers.put(type, replayer);
        }
    }

    /** Loads the partitions led here and starts the offset-expiry timer. */
    public void start() {
        onImage(image.get());
        long every = config.offsetsRetentionCheckMs();
        scheduler.scheduleWithFixedDelay(this::expireOffsets, every, every, TimeUnit.MILLISECONDS);
    }

    /** The {@code __consumer_offsets} partition of a group. */
    public int partitionFor(String groupId) {
        int partitions = image.get().topic(TOPIC).map(t -> t.partitions().size())
                .orElse(config.offsetsTopicPartitions());
        return Utils.abs(groupId.hashCode()) % partitions;
    }

    /**
     * The node id coordinating {@code groupId}, creating {@code __consumer_offsets} first if needed.
     *
     * @throws CoordinatorNotAvailableException (through the future) when the partition has no leader
     */
    public CompletableFuture<Integer> findCoordinator(String groupId) {
        return ensureTopic().thenApply(ignored -> {
            TopicImage topic = image.get().topic(TOPIC).orElseThrow(() ->
                    new CoordinatorNotAvailableException("The group coordinator is not available"));
            PartitionImage p = topic.partitions().get(Utils.abs(groupId.hashCode()) % topic.partitions().size());
            if (p.leader() < 0) {
                throw new CoordinatorNotAvailableException("The group coordinator is not available");
            }
            if (p.leader() == nodeId) {
                shardHandle(p.partition());
            }
            return p.leader();
        });
    }

    private CompletableFuture<?> ensureTopic() {
        if (image.get().topic(TOPIC).isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lifecycle) {
            CompletableFuture<?> creating = topicCreating;
            if (creating != null && !creating.isDone()) {
                return creating;
            }
            // Kafka's rule: offsets.topic.replication.factor as configured; with fewer live brokers the creation fails
            // (COORDINATOR_NOT_AVAILABLE, the client retries) rather than leave the offsets under-replicated for good
            short replication = config.offsetsTopicReplication();
            Map<String, String> configs = Map.of("cleanup.policy", "compact",
                    "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes()),
                    "compression.type", "producer");
            LOGGER.info("Creating {} with {} partitions and replication factor {}", TOPIC,
                    config.offsetsTopicPartitions(), replication);
            creating = topicCreation.create(TOPIC, config.offsetsTopicPartitions(), replication, configs)
                    .handle((v, e) -> {
                        if (e != null && image.get().topic(TOPIC).isEmpty()) {
                            LOGGER.warn("Could not create {}: {}", TOPIC, e.toString());
                            throw new CoordinatorNotAvailableException("The group coordinator is not available");
                        }
                        onImage(image.get());
                        return null;
                    });
            topicCreating = creating;
            return creating;
        }
    }

    /**
     * Runs {@code op} on the shard of {@code groupId}; the future fails with NOT_COORDINATOR,
     * COORDINATOR_LOAD_IN_PROGRESS or COORDINATOR_NOT_AVAILABLE when this broker cannot serve the group now.
     */
    public <T> CompletableFuture<T> onShard(String groupId, Function<ShardHandle, CompletableFuture<T>> op) {
        ShardHandle h;
        try {
            h = handleFor(groupId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return h.shard().callAsync(() -> op.apply(h));
    }

    /** The shard handle of a group's partition, created if this broker leads it; throws the coordinator error. */
    public ShardHandle handleFor(String groupId) {
        if (closed) {
            throw new CoordinatorNotAvailableException("The broker is shutting down");
        }
        TopicImage topic = image.get().topic(TOPIC).orElseThrow(() ->
                new CoordinatorNotAvailableException("The group coordinator is not available"));
        int partition = Utils.abs(groupId.hashCode()) % topic.partitions().size();
        if (topic.partitions().get(partition).leader() != nodeId) {
            throw new NotCoordinatorException("This broker is not the coordinator of group " + groupId);
        }
        return shardHandle(partition);
    }

    /**
     * Writes the transaction marker to a {@code __consumer_offsets} partition led here and then commits or drops the
     * producer's pending offsets, on the partition's shard (Kafka's
     * {@code GroupCoordinatorService.completeTransaction}).
     * Fails with NOT_COORDINATOR when another broker leads the partition, COORDINATOR_LOAD_IN_PROGRESS while it loads,
     * or the append's error.
     */
    @Override
    public CompletableFuture<Void> completeTransaction(TopicPartition offsetsPartition, long producerId,
                                                      short producerEpoch, int coordinatorEpoch,
                                                      TransactionResult result, long timeoutMs) {
        if (!TOPIC.equals(offsetsPartition.topic())) {
            return CompletableFuture.failedFuture(new InvalidRequestException(offsetsPartition
                    + " is not a partition of " + TOPIC));
        }
        ShardHandle h;
        try {
            h = handleForPartition(offsetsPartition.partition());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return h.shard().call(() -> {
            h.shard().appendEndTransaction(producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
            return null;
        });
    }

    /** The shard handle of a {@code __consumer_offsets} partition led here; throws the coordinator error. */
    private ShardHandle handleForPartition(int partition) {
        if (closed) {
            throw new CoordinatorNotAvailableException("The broker is shutting down");
        }
        TopicImage topic = image.get().topic(TOPIC).orElseThrow(() ->
                new NotCoordinatorException(TOPIC + " does not exist"));
        if (partition < 0 || partition >= topic.partitions().size()
                || topic.partitions().get(partition).leader() != nodeId) {
            throw new NotCoordinatorException("This broker does not lead " + TOPIC + "-" + partition);
        }
        return shardHandle(partition);
    }

    /** Every shard this broker holds (loaded or loading), for ListGroups. */
    public List<ShardHandle> shards() {
        return List.copyOf(shards.values());
    }

    private ShardHandle shardHandle(int partition) {
        ShardHandle existing = shards.get(partition);
        if (existing != null) {
            return existing;
        }
        synchronized (lifecycle) {
            return shards.computeIfAbsent(partition, this::newShard);
        }
    }

    private ShardHandle newShard(int partition) {
        Object key = "__consumer_offsets-" + partition;
        Executor executor = task -> serial.submit(key, CompletableFuture.completedFuture(null), () -> {
            task.run();
            return null;
        });
        GroupCoordinatorShard shard = new GroupCoordinatorShard(partition, config, appender,
                new SchedulerTimer(scheduler, executor), executor, Map.copyOf(replayers));
        ClassicGroupManager classic = new ClassicGroupManager(shard);
        ShardHandle h = new ShardHandle(shard, classic, new ClassicMembership(classic), new OffsetManager(shard));
        shard.execute(() -> load(h));
        return h;
    }

    private void load(ShardHandle h) {
        GroupCoordinatorShard shard = h.shard();
        TopicPartition tp = new TopicPartition(TOPIC, shard.partition());
        long start = System.nanoTime();
        try {
            long n = OffsetsTopicLoader.load(replicas.leaderLog(tp), shard);
            shard.markLoaded();
            h.classic().onLoaded();
            LOGGER.info("Loaded {} ({} records) in {} ms{}", tp, n, (System.nanoTime() - start) / 1_000_000,
                    failedLoads.remove(shard.partition()) ? " after failed attempts" : "");
        } catch (RuntimeException e) {
            if (failedLoads.add(shard.partition())) {
                LOGGER.error("Could not load {}; its groups are unavailable on this broker until a retry (the next "
                        + "request for one of them) succeeds", tp, e);
            } else {
                LOGGER.debug("Could not load {} again: {}", tp, e.toString());
            }
            shards.remove(shard.partition(), h);
            shard.unload();
        }
    }

    /** Reconciles the shards with the metadata: loads partitions now led here, unloads the others. */
    public void onImage(ClusterImage newImage) {
        if (closed) {
            return;
        }
        Set<String> topics = newImage.topics().keySet();
        Set<String> deleted = new HashSet<>(knownTopics);
        deleted.removeAll(topics);
        knownTopics = Set.copyOf(topics);
        TopicImage topic = newImage.topic(TOPIC).orElse(null);
        Set<Integer> led = new HashSet<>();
        if (topic != null) {
            for (PartitionImage p : topic.partitions()) {
                if (p.leader() == nodeId) {
                    led.add(p.partition());
                }
            }
        }
        for (Map.Entry<Integer, ShardHandle> e : new ArrayList<>(shards.entrySet())) {
            if (!led.contains(e.getKey()) && shards.remove(e.getKey(), e.getValue())) {
                LOGGER.info("Unloading {}-{}: no longer led here", TOPIC, e.getKey());
                unload(e.getValue());
            }
        }
        led.forEach(this::shardHandle);
        if (!deleted.isEmpty()) {
            for (ShardHandle h : shards.values()) {
                h.shard().execute(() -> {
                    if (h.shard().isLoaded()) {
                        deleteOffsetsQuietly(h, deleted);
                    }
                });
            }
        }
    }

    private static void deleteOffsetsQuietly(ShardHandle h, Set<String> deleted) {
        try {
            h.offsets().deleteOffsetsOfTopics(deleted);
        } catch (RuntimeException e) {
            LOGGER.warn("Could not delete offsets of deleted topics {}: {}", deleted, e.toString());
        }
    }

    private void expireOffsets() {
        for (ShardHandle h : shards.values()) {
            h.shard().execute(() -> {
                if (h.shard().isLoaded()) {
                    try {
                        h.offsets().expire();
                    } catch (RuntimeException e) {
                        LOGGER.warn("Offset expiry on {}-{} failed: {}", TOPIC, h.shard().partition(), e.toString());
                    }
                }
            });
        }
    }

    private static void unload(ShardHandle h) {
        h.shard().unload();
        h.shard().execute(() -> h.classic().failParkedRequests(Errors.NOT_COORDINATOR));
    }

    @Override
    public void close() {
        closed = true;
        shards.values().forEach(GroupCoordinator::unload);
        shards.clear();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
