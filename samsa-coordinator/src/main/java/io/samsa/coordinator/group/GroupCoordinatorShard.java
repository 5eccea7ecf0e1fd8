package io.samsa.coordinator.group;

import io.samsa.coordinator.group.classic.ClassicGroup;
import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.GroupMetadataRecord;
import io.samsa.coordinator.group.record.OffsetCommitRecord;
import io.samsa.coordinator.group.record.RecordType;
import io.samsa.coordinator.runtime.CoordinatorShard;
import io.samsa.coordinator.runtime.CoordinatorTimer;
import io.samsa.coordinator.runtime.CoordinatorWriter;
import io.samsa.coordinator.runtime.ShardContext;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups and committed offsets of one {@code __consumer_offsets} partition that this broker leads (Kafka's
 * {@code GroupCoordinatorShard}), a shard of the coordinator runtime. Every operation runs on the shard's serial
 * executor, one at a time, so the state needs no locks:
 *
 * <ol>
 *   <li>an operation validates the request against the in-memory state and computes records;</li>
 *   <li>{@link #append} writes them to the partition as one batch ({@link ShardContext#append},
 *       {@code acks=all});</li>
 *   <li>only when the append succeeded does the operation apply its change ({@link #appendAndReplay} replays the
 *       records, the same code that loads the partition) and answer; a failed append changes nothing.</li>
 * </ol>
 *
 * <p>Until {@link #markLoaded} the shard answers COORDINATOR_LOAD_IN_PROGRESS; after {@link #unload},
 * NOT_COORDINATOR. Thread-safe entry points: {@link #call}, {@link #callAsync}, {@link #execute}, {@link #isLoaded};
 * everything else must run on the shard's executor.
 */
public final class GroupCoordinatorShard implements CoordinatorShard<CoordinatorRecord> {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupCoordinatorShard.class);

    private final ShardContext<CoordinatorRecord> context;
    private final GroupConfig config;
    private final Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers;
    private final Map<String, Group> groups = new HashMap<>();
    private final OffsetStore offsets = new OffsetStore();
    private final PendingTransactions pending = new PendingTransactions();
    /** The replay order of the next offset record: its place in the log, as Kafka uses record offsets. */
    private long nextOrder;

    /**
     * @param context   the runtime's side of the shard (partition, epoch, executor, timer, writer)
     * @param replayers how to replay the KIP-848 record types (registered by the consumer-group code)
     */
    public GroupCoordinatorShard(ShardContext<CoordinatorRecord> context, GroupConfig config,
                                 Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers) {
        this.context = context;
        this.config = config;
        this.replayers = replayers.isEmpty() ? Map.of() : new EnumMap<>(replayers);
    }

    /** A shard outside a runtime (tests): {@code executor} must be serial. */
    public GroupCoordinatorShard(int partition, GroupConfig config, CoordinatorWriter<CoordinatorRecord> writer,
                                 CoordinatorTimer timer, Executor executor,
                                 Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers) {
        this(new ShardContext<>(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, partition), 0, executor, timer,
                writer), config, replayers);
    }

    @Override
    public ShardContext<CoordinatorRecord> context() {
        return context;
    }

    public int partition() {
        return context.partition();
    }

    public GroupConfig config() {
        return config;
    }

    public CoordinatorTimer timer() {
        return context.timer();
    }

    public OffsetStore offsets() {
        return offsets;
    }

    /** The transactional offsets waiting for their transaction's marker. */
    public PendingTransactions pendingTransactions() {
        return pending;
    }

    public boolean isLoaded() {
        return context.isLoaded();
    }

    /** Runs {@code op} on the shard and completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> op) {
        return context.call(op);
    }

    /** Runs {@code op} on the shard; completes when the future it returns completes (e.g. a delayed join). */
    public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> op) {
        return context.callAsync(op);
    }

    /** Runs {@code task} on the shard whatever its status (loading, timers). */
    public void execute(Runnable task) {
        context.execute(task);
    }

    /** Appends records as one batch (shard executor only). Nothing is applied: the caller applies on success. */
    public void append(List<? extends CoordinatorRecord> records) {
        context.append(records);
    }

    /** Appends records as one batch, then replays them into this shard's state (shard executor only). */
    public void appendAndReplay(List<? extends CoordinatorRecord> records) {
        append(records);
        records.forEach(this::replay);
    }

    /**
     * Appends records as one transactional batch of {@code producerId} (TxnOffsetCommit), then replays them as
     * pending offsets of that producer (shard executor only). A failed append changes nothing.
     */
    public void appendTransactionalAndReplay(List<? extends CoordinatorRecord> records, long producerId,
                                             short producerEpoch) {
        if (records.isEmpty()) {
            return;
        }
        context.appendTransactional(records, producerId, producerEpoch);
        records.forEach(r -> replay(r, producerId));
    }

    /**
     * Writes the transaction marker of {@code producerId} and then applies it ({@link #replayEndTransaction}); shard
     * executor only. The append blocks this shard's thread until the ISR has the marker, so that no request of the
     * shard sees the state between the marker and its effect.
     */
    public void appendEndTransaction(long producerId, short producerEpoch, int coordinatorEpoch,
                                     TransactionResult result, long timeoutMs) {
        context.appendMarker(producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
        replayEndTransaction(producerId, result);
    }

    /**
     * Applies a transaction marker (Kafka's {@code replayEndTransactionMarker}): on COMMIT, each pending offset of the
     * producer becomes the committed offset of its partition unless a commit written later in the log is already
     * there; on ABORT they are dropped. A marker of a producer without pending offsets here changes nothing.
     */
    @Override
    public void replayEndTransaction(long producerId, TransactionResult result) {
        Map<String, Map<TopicPartition, PendingTransactions.Pending>> ended = pending.complete(producerId);
        if (result != TransactionResult.COMMIT) {
            return;
        }
        ended.forEach((groupId, byTp) -> byTp.forEach((tp, p) -> {
            if (p.order() > offsets.order(groupId, tp)) {
                offsets.put(groupId, tp, p.offset(), p.order());
            } else {
                LOGGER.debug("Transactional offset of {} for group {} from producer {} is older than the committed "
                        + "one; not materialized", tp, groupId, producerId);
            }
        }));
    }

    /**
     * Applies one record to the state: used while loading the partition and after a successful append. Offsets
     * records update the {@link OffsetStore} (creating an empty classic group for offsets of an unknown group, as
     * Kafka does for simple groups); group records restore or delete a classic group; KIP-848 records go to the
     * replayer registered for their type.
     */
    public void replay(CoordinatorRecord record) {
        replay(record, RecordBatch.NO_PRODUCER_ID);
    }

    /**
     * {@link #replay(CoordinatorRecord)} for a record of a batch written by {@code producerId}: an offset of a
     * transactional batch ({@code producerId} not -1) stays pending until the producer's marker is replayed. A
     * tombstone deletes the committed offset and the pending ones of its partition.
     */
    @Override
    public void replay(CoordinatorRecord record, long producerId) {
        switch (record) {
            case OffsetCommitRecord r -> {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.value() == null) {
                    offsets.remove(r.groupId(), tp);
                    pending.removePartition(r.groupId(), tp);
                } else {
                    OffsetCommitRecord.Value v = r.value();
                    CommittedOffset offset = new CommittedOffset(v.offset(), v.leaderEpoch(), v.metadata(),
                            v.commitTimestampMs(), v.expireTimestampMs());
                    if (producerId == RecordBatch.NO_PRODUCER_ID) {
                        offsets.put(r.groupId(), tp, offset, nextOrder++);
                    } else {
                        pending.put(producerId, r.groupId(), tp, offset, nextOrder++);
                    }
                    if (!groups.containsKey(r.groupId())) {
                        groups.put(r.groupId(), new ClassicGroup(r.groupId(), context.timer().nowMs()));
                    }
                }
            }
            case GroupMetadataRecord r -> {
                if (r.value() == null) {
                    if (groups.get(r.groupId()) instanceof ClassicGroup) {
                        groups.remove(r.groupId());
                    }
                } else {
                    groups.put(r.groupId(), ClassicGroup.fromRecord(r.groupId(), r.value(), context.timer().nowMs()));
                }
            }
            case CoordinatorRecord.Raw r -> {
                BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw> replayer = replayers.get(r.type());
                if (replayer != null) {
                    replayer.accept(this, r);
                } else {
                    LOGGER.debug("No replayer for {} on __consumer_offsets-{}; skipped", r.type(), partition());
                }
            }
        }
    }

    /** The group, or null. */
    public Group group(String groupId) {
        return groups.get(groupId);
    }

    /** Adds or replaces a group (shard executor only). */
    public void putGroup(Group group) {
        groups.put(group.groupId(), group);
    }

    /** Forgets a group (shard executor only). */
    public void removeGroup(String groupId) {
        groups.remove(groupId);
    }

    /** Every group of this shard (a live view: copy before changing the map). */
    public Collection<Group> groups() {
        return groups.values();
    }

    /** Marks the shard loaded: requests are accepted from now on. Call on the shard executor after replaying. */
    public void markLoaded() {
        if (!context.isLoaded()) {
            context.markLoaded();
            onLoaded();
        }
    }

    @Override
    public void onLoaded() {
        LOGGER.info("Loaded __consumer_offsets-{}: {} groups, {} offsets, {} pending transactional offsets",
                partition(), groups.size(), offsets.size(), pending.size());
    }

    /** Stops serving: timers cancelled, new requests answered NOT_COORDINATOR. */
    public void unload() {
        context.unload();
    }
}
