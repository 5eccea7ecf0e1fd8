package io.samsa.broker.group;

import io.samsa.coordinator.runtime.CoordinatorTimer;
import io.samsa.broker.group.classic.ClassicGroup;
import io.samsa.broker.group.record.CoordinatorRecord;
import io.samsa.broker.group.record.GroupMetadataRecord;
import io.samsa.broker.group.record.OffsetCommitRecord;
import io.samsa.broker.group.record.RecordType;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups and committed offsets of one {@code __consumer_offsets} partition that this broker leads (Kafka's
 * {@code GroupCoordinatorShard}). Every operation runs on the shard's serial executor, one at a time, so the state
 * needs no locks:
 *
 * <ol>
 *   <li>an operation validates the request against the in-memory state and computes records;</li>
 *   <li>{@link #append} writes them to the partition as one batch ({@link CoordinatorAppender});</li>
 *   <li>only when the append succeeded does the operation apply its change ({@link #appendAndReplay} replays the
 *       records, the same code that loads the partition) and answer; a failed append changes nothing.</li>
 * </ol>
 *
 * <p>Until {@link #markLoaded} the shard answers COORDINATOR_LOAD_IN_PROGRESS; after {@link #unload},
 * NOT_COORDINATOR. Thread-safe entry points: {@link #call}, {@link #callAsync}, {@link #execute}, {@link #isLoaded};
 * everything else must run on the shard's executor.
 */
public final class GroupCoordinatorShard {
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupCoordinatorShard.class);

    enum Status { LOADING, ACTIVE, CLOSED }

    private final int partition;
    private final GroupConfig config;
    private final CoordinatorAppender appender;
    private final CoordinatorTimer timer;
    private final Executor executor;
    private final Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers;
    private final Map<String, Group> groups = new HashMap<>();
    private final OffsetStore offsets = new OffsetStore();
    private final PendingTransactions pending = new PendingTransactions();
    /** The replay order of the next offset record: its place in the log, as Kafka uses record offsets. */
    private long nextOrder;
    private volatile Status status = Status.LOADING;

    /**
     * @param executor  a serial executor: tasks run one at a time in submission order
     * @param replayers how to replay the KIP-848 record types (registered by the consumer-group code)
     */
    public GroupCoordinatorShard(int partition, GroupConfig config, CoordinatorAppender appender,
                                 CoordinatorTimer timer, Executor executor,
                                 Map<RecordType, BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw>> replayers) {
        this.partition = partition;
        this.config = config;
        this.appender = appender;
        this.timer = timer;
        this.executor = executor;
        this.replayers = replayers.isEmpty() ? Map.of() : new EnumMap<>(replayers);
    }

    public int partition() {
        return partition;
    }

    public GroupConfig config() {
        return config;
    }

    public CoordinatorTimer timer() {
        return timer;
    }

    public OffsetStore offsets() {
        return offsets;
    }

    /** The transactional offsets waiting for their transaction's marker. */
    public PendingTransactions pendingTransactions() {
        return pending;
    }

    public boolean isLoaded() {
        return status == Status.ACTIVE;
    }

    /** Runs {@code op} on the shard and completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> op) {
        return callAsync(() -> CompletableFuture.completedFuture(op.get()));
    }

    /** Runs {@code op} on the shard; completes when the future it returns completes (e.g. a delayed join). */
    public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Status s = status;
        if (s != Status.ACTIVE) {
            result.completeExceptionally(statusError(s));
            return result;
        }
        try {
            executor.execute(() -> {
                try {
                    if (status != Status.ACTIVE) {
                        throw statusError(status);
                    }
                    op.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new CoordinatorNotAvailableException("The coordinator is shutting down"));
        }
        return result;
    }

    /** Runs {@code task} on the shard whatever its status (loading, timers). */
    public void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOGGER.error("Task on __consumer_offsets-{} failed", partition, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOGGER.debug("Task on __consumer_offsets-{} dropped: shutting down", partition);
        }
    }

    private RuntimeException statusError(Status s) {
        return switch (s) {
            case LOADING -> new CoordinatorLoadInProgressException(
                    "__consumer_offsets-" + partition + " is loading");
            case CLOSED -> new NotCoordinatorException(
                    "This broker no longer leads __consumer_offsets-" + partition);
            case ACTIVE -> new IllegalStateException("active");
        };
    }

    /** Appends records as one batch (shard executor only). Nothing is applied: the caller applies on success. */
    public void append(List<? extends CoordinatorRecord> records) {
        if (!records.isEmpty()) {
            appender.append(partition, List.copyOf(records));
        }
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
        appender.appendTransactional(partition, List.copyOf(records), producerId, producerEpoch);
        records.forEach(r -> replay(r, producerId));
    }

    /**
     * Writes the transaction marker of {@code producerId} and then applies it ({@link #replayEndTransaction}); shard
     * executor only. The append blocks this shard's thread until the ISR has the marker, so that no request of the
     * shard sees the state between the marker and its effect.
     */
    public void appendEndTransaction(long producerId, short producerEpoch, int coordinatorEpoch,
                                     TransactionResult result, long timeoutMs) {
        appender.appendMarker(partition, producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
        replayEndTransaction(producerId, result);
    }

    /**
     * Applies a transaction marker (Kafka's {@code replayEndTransactionMarker}): on COMMIT, each pending offset of the
     * producer becomes the committed offset of its partition unless a commit written later in the log is already
     * there; on ABORT they are dropped. A marker of a producer without pending offsets here changes nothing.
     */
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
                        groups.put(r.groupId(), new ClassicGroup(r.groupId(), timer.nowMs()));
                    }
                }
            }
            case GroupMetadataRecord r -> {
                if (r.value() == null) {
                    if (groups.get(r.groupId()) instanceof ClassicGroup) {
                        groups.remove(r.groupId());
                    }
                } else {
                    groups.put(r.groupId(), ClassicGroup.fromRecord(r.groupId(), r.value(), timer.nowMs()));
                }
            }
            case CoordinatorRecord.Raw r -> {
                BiConsumer<GroupCoordinatorShard, CoordinatorRecord.Raw> replayer = replayers.get(r.type());
                if (replayer != null) {
                    replayer.accept(this, r);
                } else {
                    LOGGER.debug("No replayer for {} on __consumer_offsets-{}; skipped", r.type(), partition);
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
        if (status == Status.LOADING) {
            status = Status.ACTIVE;
            LOGGER.info("Loaded __consumer_offsets-{}: {} groups, {} offsets, {} pending transactional offsets",
                    partition, groups.size(), offsets.size(), pending.size());
        }
    }

    /** Stops serving: timers cancelled, new requests answered NOT_COORDINATOR. */
    public void unload() {
        status = Status.CLOSED;
        timer.cancelAll();
    }
}
