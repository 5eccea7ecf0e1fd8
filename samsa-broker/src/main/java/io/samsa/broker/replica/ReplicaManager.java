package io.samsa.broker.replica;

import io.samsa.metadata.ClusterImage;
import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.txn.VerificationGuard;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * The partitions this broker hosts, as leader or follower, kept in step with the metadata image (Kafka's
 * {@code ReplicaManager}): creates the log and the {@link Partition} state of each replica assigned here, makes it
 * leader or follower as the image says (followers fetch through the {@link ReplicaFetcherManager}), deletes the logs
 * of topics that are gone or moved away, appends produce batches as leader and waits for the ISR for {@code acks=all},
 * and serves reads to consumers (below the high watermark) and followers (up to the log end offset).
 *
 * <p>The public entry points delegate to package-private parts: {@link HostedPartitions} (the partitions and their
 * roles from the image, fetchers started and stopped, logs deleted; the leader and hosted lookups every request starts
 * with; the ISR shrink check), {@link LeaderAppends} (the produce path: acks, {@code min.insync.replicas}, transaction
 * markers), {@link ReplicaReads} (consumer and follower reads, follower fetch state, KIP-392, OffsetsForLeaderEpoch)
 * and {@link ImageLookups} (brokers and topic configs in the image). The {@link ReplicaFetcherManager} is created and
 * closed here.
 *
 * <p>Thread-safe. Appends and reads may block on disk: call them from the broker's I/O pool, never a Netty event
 * loop.
 */
public final class ReplicaManager implements AutoCloseable {
    private final LogManager logManager;
    private final Supplier<ClusterImage> image;
    private final ReplicationSettings settings;
    private final LongSupplier clockMs = System::currentTimeMillis;
    private final ImageLookups lookups;
    private final ReplicaFetcherManager fetchers;
    private final HostedPartitions hosted;
    private final LeaderAppends appends;
    private final ReplicaReads reads;

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
        this.logManager = logManager;
        this.image = image;
        this.settings = settings;
        this.lookups = new ImageLookups(nodeId, image, brokerDefaults, settings, defaultMinInsyncReplicas);
        this.fetchers = new ReplicaFetcherManager(nodeId, settings, lookups::brokerAddress, brokerEpoch,
                purgatory::onAppend);
        this.hosted = new HostedPartitions(nodeId, logManager, image, lookups, purgatory, isrUpdater, fetchers,
                clockMs);
        this.appends = new LeaderAppends(hosted, lookups, image, purgatory, clockMs);
        this.reads = new ReplicaReads(nodeId, image, hosted, lookups, settings.replicaSelectorClass(), clockMs);
    }

    public static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** Called with each new metadata image (on the apply thread); does the file work on its own thread. */
    public void onImage(ClusterImage newImage) {
        hosted.onImage(newImage);
    }

    /**
     * From now on partitions take their roles (leader, follower) from the image, on reconciliation and on first use;
     * before, nothing is reconciled and every partition answers NOT_LEADER_OR_FOLLOWER. The broker calls it from the
     * first image that holds its own registration: the image replayed at start-up may still name this node leader of
     * what a crashed process with the same {@code node.id} led, at that process's leader epoch (Kafka's broker
     * likewise publishes metadata to its replicas only once caught up to its registration, KIP-631).
     */
    public void takeRoles() {
        hosted.takeRoles();
    }

    /**
     * Reconciles the hosted logs with the current image on the calling thread and returns when done: every partition
     * assigned here has its log, and those it leads their leader state (high watermark) restored. The broker calls it
     * at the end of start-up, once the image holds its registration (roles never follow an image without it).
     */
    public void reconcileNow() {
        hosted.reconcile(image.get());
    }

    /** The {@code min.insync.replicas} of {@code topic} (topic config, dynamic broker default, static), for metrics. */
    public int minInsyncReplicas(String topic) {
        return lookups.minInsyncReplicas(image.get(), topic);
    }

    /**
     * The partition state of a partition this broker leads, created with its log on first use, brought up to the
     * current image first.
     *
     * @throws UnknownTopicOrPartitionException when the topic or partition does not exist
     * @throws NotLeaderOrFollowerException     when another broker leads it (or none)
     */
    public Partition leaderPartition(TopicPartition tp) {
        return hosted.leaderPartition(tp);
    }

    /** The log of a partition this broker leads (see {@link #leaderPartition}). */
    public PartitionLog leaderLog(TopicPartition tp) {
        return leaderPartition(tp).log();
    }

    /** The leader epoch of a partition per this broker's state (else the current image), or -1. */
    public int leaderEpoch(TopicPartition tp) {
        return hosted.leaderEpoch(tp);
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
        return appends.appendAsLeader(tp, records, acks, timeoutMs, origin, guard, null);
    }

    /**
     * {@link #appendAsLeader(TopicPartition, MemoryRecords, short, long, AppendOrigin, VerificationGuard)} for one
     * partition of a request that appends to several: the fetches parked on {@code tp} are not woken now but by
     * {@link #wake(FetchWakeups)} after the request's last append.
     *
     * @param guard   null when the append needs no verification
     * @param wakeups collects {@code tp} when the append wrote a batch
     */
    public CompletableFuture<LogAppendInfo> appendAsLeader(TopicPartition tp, MemoryRecords records, short acks,
                                                           long timeoutMs, AppendOrigin origin,
                                                           VerificationGuard guard, FetchWakeups wakeups) {
        return appends.appendAsLeader(tp, records, acks, timeoutMs, origin, guard, wakeups);
    }

    /**
     * Wakes the fetches parked on the partitions {@code wakeups} collected (followers', and consumers' whose high
     * watermark moved); each completes with what every partition of the request appended. Call on the thread that
     * appended, after the last append.
     */
    public void wake(FetchWakeups wakeups) {
        appends.wake(wakeups);
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
        return appends.appendTxnMarker(tp, producerId, producerEpoch, coordinatorEpoch, result, timeoutMs);
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
        return reads.read(tp, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage, isolation);
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
        return reads.readFromReplica(tp, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage, isolation);
    }

    /**
     * KIP-392 on the leader: the replica the {@code replica.selector.class} prefers for this consumer (its
     * {@code client.rack} against the in-sync replicas' racks that already have {@code fetchOffset}), when that is not
     * this leader. Empty without a selector or a rack, or when the leader is the best choice.
     */
    public OptionalInt preferredReadReplica(TopicPartition tp, long fetchOffset, ClientMetadata client) {
        return reads.preferredReadReplica(tp, fetchOffset, client);
    }

    /**
     * Records a follower's fetch of {@code tp} at {@code fetchOffset} (its log end offset), which may add it to the ISR
     * and move the high watermark. Call once per fetch request, before reading.
     *
     * @param replicaEpoch the follower's broker epoch from the fetch's {@code ReplicaState} (Fetch v15+, KIP-903), -1
     *                     when it sent none
     * @return NONE, or the partition's error (NOT_LEADER_OR_FOLLOWER, also for a fetch naming an earlier broker epoch
     *         than the follower's last one; FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, ...)
     */
    public Errors updateFollowerFetchState(TopicPartition tp, int replicaId, long replicaEpoch, int currentLeaderEpoch,
                                           long fetchOffset) {
        return reads.updateFollowerFetchState(tp, replicaId, replicaEpoch, currentLeaderEpoch, fetchOffset);
    }

    /**
     * How long a fetch of follower {@code replicaId} asking to park up to {@code requestedMs} ({@code max.wait.ms})
     * may park, in ms: briefly for a while after this broker began leading a partition it follows, so that it comes
     * back with that partition at once ({@link NewLeaderships}); else {@code requestedMs}.
     */
    public int followerFetchMaxWaitMs(int replicaId, int requestedMs) {
        return hosted.newLeaderships().maxWaitMs(replicaId, requestedMs);
    }

    /**
     * How many leaderships began on this broker so far: read it before {@link #followerFetchMaxWaitMs} and again once
     * the fetch is parked; when it moved, answer the fetch now (a leadership that began in between may have missed it).
     */
    public long leadershipsBegun() {
        return hosted.newLeaderships().begun();
    }

    /**
     * Reads a leader's data for a follower: up to the log end offset, with the high watermark for the follower to
     * take. On OFFSET_OUT_OF_RANGE the result still carries the leader's log start offset, so a follower that fell
     * behind it can restart its log there.
     */
    public PartitionReadResult readForFollower(TopicPartition tp, int currentLeaderEpoch, long fetchOffset,
                                               int maxBytes, boolean minOneMessage) {
        return reads.readForFollower(tp, currentLeaderEpoch, fetchOffset, maxBytes, minOneMessage);
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
        return reads.endOffsetForEpoch(tp, currentLeaderEpoch, leaderEpoch);
    }

    /** Proposes ISR removals of lagging followers on every partition led here; run periodically. */
    public void maybeShrinkIsr() {
        hosted.maybeShrinkIsr(settings.replicaLagTimeMaxMs());
    }

    /** Sets the per-topic traffic hook (metrics); thread-safe. */
    public void traffic(TopicTraffic traffic) {
        appends.traffic(traffic);
    }

    /** The per-topic traffic hook ({@link TopicTraffic#NONE} without metrics). */
    public TopicTraffic traffic() {
        return appends.traffic();
    }

    /** Every partition hosted here (leader or follower), a live view: read-only, for metrics and tools. */
    public Collection<Partition> hostedPartitions() {
        return Collections.unmodifiableCollection(hosted.all());
    }

    /** ISR shrinks committed on partitions led here since start. */
    public long isrShrinks() {
        return hosted.isrShrinks();
    }

    /** ISR expansions committed on partitions led here since start. */
    public long isrExpands() {
        return hosted.isrExpands();
    }

    /** The replication settings ({@code replica.*}). */
    public ReplicationSettings settings() {
        return settings;
    }

    /** The partition state of {@code tp} if hosted here (tests, DescribeLogDirs). */
    public Optional<Partition> partitionState(TopicPartition tp) {
        return Optional.ofNullable(hosted.get(tp));
    }

    @Override
    public void close() {
        reads.close();
        fetchers.close();
        hosted.close();
    }
}
