package io.samsa.coordinator.group;

import io.samsa.coordinator.group.classic.ClassicGroupManager;
import io.samsa.coordinator.group.classic.ClassicMembership;
import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.GroupRecordSerde;
import io.samsa.coordinator.group.record.RecordType;
import io.samsa.coordinator.runtime.CoordinatorLogReader;
import io.samsa.coordinator.runtime.CoordinatorPartitionWriter;
import io.samsa.coordinator.runtime.CoordinatorRuntime;
import io.samsa.coordinator.runtime.CoordinatorShard;
import io.samsa.coordinator.runtime.CoordinatorTopicCreator;
import io.samsa.coordinator.runtime.LogWriter;
import io.samsa.coordinator.runtime.ShardContext;
import io.samsa.metadata.ClusterImage;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this broker (Kafka's {@code GroupCoordinatorService}) on the {@link CoordinatorRuntime}:
 * one {@link GroupCoordinatorShard} per {@code __consumer_offsets} partition this broker leads, loaded from the
 * partition's log when it becomes led here and dropped when the leadership moves or its leader epoch changes. The
 * coordinator of group G is the leader of partition {@code Utils.abs(G.hashCode()) % partitions}.
 *
 * <p>{@code __consumer_offsets} is created on first need (FindCoordinator) with {@code offsets.topic.num.partitions},
 * replication {@code offsets.topic.replication.factor}, {@code cleanup.policy=compact} and
 * {@code segment.bytes=offsets.topic.segment.bytes}.
 *
 * <p>Requests for a group run on its shard's serial executor ({@link #onShard}); they fail with NOT_COORDINATOR when
 * another broker leads the partition, COORDINATOR_LOAD_IN_PROGRESS while it loads, and COORDINATOR_NOT_AVAILABLE
 * before the topic exists. As {@link TransactionCompletion} it writes the transaction markers of
 * {@code __consumer_offsets} (WriteTxnMarkers) and applies them to the pending transactional offsets. Offsets expire
 * every {@code offsets.retention.check.interval.ms}; the offsets of deleted topics are deleted. Thread-safe.
 */
public final class GroupCoordinator implements TransactionCompletion, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupCoordinator.class);
    public static final String TOPIC = Topic.GROUP_METADATA_TOPIC_NAME;
    /** Kafka's {@code offsets.commit.timeout.ms} default: how long a coordinator write waits for the ISR. */
    private static final long COMMIT_TIMEOUT_MS = 5_000;

    /** A loaded (or loading) shard with the logic that runs on it: the runtime's shard of this coordinator. */
    public record ShardHandle(GroupCoordinatorShard shard, ClassicGroupManager classic, ClassicMembership membership,
                              OffsetManager offsets) implements CoordinatorShard<CoordinatorRecord> {

        @Override
        public ShardContext<CoordinatorRecord> context() {
            return shard.context();
        }

        @Override
        public void replay(CoordinatorRecord record, long producerId) {
            shard.replay(record, producerId);
        }

        @Override
        public void replayEndTransaction(long producerId, TransactionResult result) {
            shard.replayEndTransaction(producerId, result);
        }

        @Override
        public void onLoaded() {
            shard.onLoaded();
            classic.onLoaded();
        }

        @Override
        public void onUnloaded() {
            classic.failParkedRequests(Errors.NOT_COORDINATOR);
        }
    }

    private final GroupConfig config;
    private final ScheduledExecutorService scheduler;
    private final Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers =
            new EnumMap<>(RecordType.class);
    private final CoordinatorRuntime<ShardHandle, CoordinatorRecord> runtime;
    private volatile Set<String> knownTopics = Set.of();

    /**
     * @param image      the cluster image: who leads which {@code __consumer_offsets} partition
     * @param logs       the logs of the partitions led here, replayed on load
     * @param partitions appends to the partitions led here ({@code acks=all})
     * @param scheduler  runs the timers and the offset expiry
     */
    public GroupCoordinator(int nodeId, GroupConfig config, Supplier<ClusterImage> image, CoordinatorLogReader logs,
                            CoordinatorPartitionWriter partitions, CoordinatorTopicCreator topicCreator,
                            ScheduledExecutorService scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        // Kafka's rule: offsets.topic.replication.factor as configured; with fewer live brokers the creation fails
        // (COORDINATOR_NOT_AVAILABLE, the client retries) rather than leave the offsets under-replicated for good
        Map<String, String> topicConfigs = Map.of("cleanup.policy", "compact",
                "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes()),
                "compression.type", "producer");
        this.runtime = new CoordinatorRuntime<>(new CoordinatorRuntime.Spec("group coordinator", "group", TOPIC,
                config.offsetsTopicPartitions(), config.offsetsTopicReplication(), topicConfigs,
                config.coordinatorThreads(), "samsa-group-coordinator"), nodeId, image, logs,
                new LogWriter<>(TOPIC, partitions, GroupRecordSerde.INSTANCE, COMMIT_TIMEOUT_MS,
                        System::currentTimeMillis),
                GroupRecordSerde.INSTANCE, topicCreator, scheduler, this::newShard);
    }

    private ShardHandle newShard(ShardContext<CoordinatorRecord> context) {
        Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> registered;
        synchronized (replayers) {
            registered = Map.copyOf(replayers);
        }
        GroupCoordinatorShard shard = new GroupCoordinatorShard(context, config, registered);
        ClassicGroupManager classic = new ClassicGroupManager(shard);
        return new ShardHandle(shard, classic, new ClassicMembership(classic), new OffsetManager(shard));
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
        synchronized (replayers) {
            replayers.put(type, replayer);
        }
    }

    /** Loads the partitions led here and starts the offset-expiry timer. */
    public void start() {
        runtime.start();
        long every = config.offsetsRetentionCheckMs();
        scheduler.scheduleWithFixedDelay(() -> runtime.forEachLoaded("Offset expiry", h -> h.offsets().expire()),
                every, every, TimeUnit.MILLISECONDS);
    }

    /** The {@code __consumer_offsets} partition of a group. */
    public int partitionFor(String groupId) {
        return runtime.partitionFor(groupId);
    }

    /**
     * The node id coordinating {@code groupId}, creating {@code __consumer_offsets} first if needed.
     *
     * @throws CoordinatorNotAvailableException (through the future) when the partition has no leader
     */
    public CompletableFuture<Integer> findCoordinator(String groupId) {
        return runtime.findCoordinator(groupId);
    }

    /**
     * Runs {@code op} on the shard of {@code groupId}; the future fails with NOT_COORDINATOR,
     * COORDINATOR_LOAD_IN_PROGRESS or COORDINATOR_NOT_AVAILABLE when this broker cannot serve the group now.
     */
    public <T> CompletableFuture<T> onShard(String groupId, Function<ShardHandle, CompletableFuture<T>> op) {
        return runtime.scheduleOperation(groupId, op);
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
            h = runtime.shardForPartition(offsetsPartition.partition());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return h.shard().call(() -> {
            h.shard().appendEndTransaction(producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
            return null;
        });
    }

    /** Every shard this broker holds (loaded or loading), for ListGroups. */
    public List<ShardHandle> shards() {
        return runtime.shards();
    }

    /**
     * Reconciles the shards with the metadata (loads partitions now led here, unloads the others) and deletes the
     * committed offsets of topics that the image no longer has.
     */
    public void onImage(ClusterImage newImage) {
        Set<String> topics = newImage.topics().keySet();
        Set<String> deleted = new HashSet<>(knownTopics);
        deleted.removeAll(topics);
        knownTopics = Set.copyOf(topics);
        runtime.onImage(newImage);
        if (!deleted.isEmpty()) {
            runtime.forEachLoaded("Deleting the offsets of deleted topics " + deleted,
                    h -> h.offsets().deleteOffsetsOfTopics(deleted));
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
