package io.samsa.storage;

import io.samsa.storage.epoch.LeaderEpochCache;
import io.samsa.storage.producer.CompletedTxn;
import io.samsa.storage.producer.ProducerStateManager;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import io.samsa.storage.segment.SegmentFiles;
import io.samsa.storage.txn.AbortedTxn;
import io.samsa.storage.txn.UnstableOffsets;
import io.samsa.storage.txn.VerificationGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: an ordered list of segments in {@code <log.dir>/<topic>-<partition>/}, in Kafka's on-disk
 * format (Kafka's {@code UnifiedLog}). Holds the log start offset, log end offset (LEO), high watermark (HW), the
 * per-producer idempotence state and the leader epoch cache ({@code leader-epoch-checkpoint}, KIP-101/279). A leader
 * appends client batches ({@link #appendAsLeader}); a follower copies its leader's batches
 * ({@link #appendAsFollower}) and truncates a divergent suffix ({@link #truncateTo}, {@link #truncateFullyAndStartAt})
 * after asking the leader for {@link #endOffsetForEpoch}.
 *
 * <p>Thread-safety: appends, flushes and HW updates are serialized by an internal lock; reads run concurrently with
 * appends and see only whole, already appended batches (the LEO and its byte position are published only after the
 * write completed). {@link #flush} fsyncs: never call it on a network event loop. {@link #appendAsLeader} never
 * waits for an fsync: when {@code flush.messages} is reached it starts one on the background executor
 * ({@link GroupCommit}) and the caller acknowledges after {@link #flushedTo} completes.
 *
 * <p>This class holds the log's state and its public entry points; package-private helpers do the work:
 * {@link LeaderAppend}, {@link FollowerAppend}, {@link LogTruncation}, {@link LogRetention}, {@link SegmentSwap} and
 * {@link LogClose} under its lock; {@link LogReader} and {@link TimestampLookup} without it; {@link HighWatermark}
 * owns the high watermark, {@link LogFlusher} the recovery point and the fsyncs.
 */
public final class PartitionLog {
    private static final Logger LOGGER = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Time time;
    private final LogSegments segments;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final SegmentDeleter deleter;
    private final ReentrantLock lock = new ReentrantLock();
    private final StorageFailures failures;
    /** The recovery point, {@code flush.messages} / {@code flush.ms} and group commit (under {@link #lock}). */
    private final LogFlusher flusher;
    /** The high watermark and its position (its own monitor, not {@link #lock}). */
    private final HighWatermark highWatermark;
    private volatile Uuid topicId;
    private volatile LogConfig config;
    private volatile LogOffsetMetadata logEnd;
    private volatile long logStartOffset;
    private volatile int latestEpoch;
    /** What holds the last stable offset back (published under the lock, read without it). */
    private volatile UnstableOffsets unstable = UnstableOffsets.NONE;
    private boolean closed;
    /** Whether this log's truncations are in its directory's checkpoints yet. */
    private final TruncationCheckpoint truncationCheckpoint;

    PartitionLog(TopicPartition topicPartition, Uuid topicId, Path dir, LogConfig config, Time time,
                 LogSegments segments, ProducerStateManager producerState, LeaderEpochCache epochCache,
                 Executor background, SegmentDeleter deleter, LoadedState state) {
        this.topicPartition = topicPartition;
        this.truncationCheckpoint = new TruncationCheckpoint(topicPartition);
        this.topicId = topicId;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.segments = segments;
        this.producerState = producerState;
        this.epochCache = epochCache;
        this.deleter = deleter;
        this.failures = new StorageFailures(topicPartition);
        LogSegment active = segments.active();
        this.logEnd = new LogOffsetMetadata(state.logEndOffset(), active.baseOffset(), active.size());
        this.logStartOffset = state.logStartOffset();
        this.latestEpoch = state.latestEpoch();
        LogOffsetMetadata unpositioned = new LogOffsetMetadata(state.logStartOffset(), 0, 0);
        this.highWatermark = new HighWatermark(this, LogReader.positionOf(segments, logEnd, unpositioned,
                Math.max(state.logStartOffset(), Math.min(state.highWatermark(), state.logEndOffset()))));
        this.unstable = UnstableOffsets.NONE.next(producerState.firstOngoingTxnOffset(), highWatermark.offset(),
                logEnd.offset(), List.of());
        this.flusher = new LogFlusher(this, state.recoveryPoint(), background);
    }

    /** What recovery established when the log was opened. */
    record LoadedState(long logStartOffset, long logEndOffset, long recoveryPoint, long highWatermark,
                       int latestEpoch) {
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    void topicId(Uuid id) {
        this.topicId = id;
    }

    public LogConfig config() {
        return config;
    }

    void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    /** The partition directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Validates {@code records} as Kafka's {@code LogValidator} does for a client produce (magic 2, exactly one batch,
     * baseOffset 0, CRC, record count, timestamps, size, keys on compacted logs, idempotence), assigns offsets in place
     * (header rewrite only), and appends. The high watermark does not move: call {@link #updateHighWatermark}.
     *
     * <p>Never fsyncs on the caller's thread. When the records not yet covered by an fsync reach {@code flush.messages}
     * (or, for an idempotent duplicate, with {@code flush.messages=1} while the original is not on disk yet), the
     * result has {@code awaitFlush} set and a group-commit round is started: acknowledge the batch only once
     * {@link #flushedTo}{@code (lastOffset + 1)} completes (Kafka fsyncs before the append returns).
     *
     * @param records     the produce request's records for this partition (exactly as received); its buffer is
     *                    rewritten in place and must not be reused by the caller
     * @param leaderEpoch written into each batch's partitionLeaderEpoch field
     * @return where the batch landed; for an idempotent duplicate, the original offsets and {@code duplicate=true}
     * @throws org.apache.kafka.common.InvalidRecordException         INVALID_RECORD (87)
     * @throws org.apache.kafka.common.errors.CorruptRecordException  CORRUPT_MESSAGE (2)
     * @throws org.apache.kafka.common.errors.RecordTooLargeException MESSAGE_TOO_LARGE (10)
     * @throws org.apache.kafka.common.errors.RecordBatchTooLargeException RECORD_LIST_TOO_LARGE (18)
     * @throws org.apache.kafka.common.errors.InvalidTimestampException INVALID_TIMESTAMP (32)
     * @throws org.apache.kafka.common.errors.OutOfOrderSequenceException OUT_OF_ORDER_SEQUENCE_NUMBER (45)
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException INVALID_PRODUCER_EPOCH (47)
     * @throws org.apache.kafka.common.errors.KafkaStorageException   on an I/O failure or a closed log
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        return appendAsLeader(records, leaderEpoch, AppendOrigin.CLIENT);
    }

    /**
     * Appends as leader on behalf of {@code origin} (Kafka's {@code appendAsLeader} with an {@code AppendOrigin}):
     * {@link AppendOrigin#CLIENT} is {@link #appendAsLeader(MemoryRecords, int)}; {@link AppendOrigin#COORDINATOR}
     * also accepts a control batch (a COMMIT/ABORT marker, KIP-98, which closes the producer's open transaction here;
     * an ABORT is added to the active segment's {@code .txnindex}) and checks no sequence numbers, only producer
     * epochs. A transactional batch of a producer without an open transaction opens one (the last stable offset stays
     * at its first offset until its marker is below the high watermark).
     *
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException INVALID_PRODUCER_EPOCH (47): a batch or
     *         marker with an older producer epoch
     * @throws org.apache.kafka.common.errors.TransactionCoordinatorFencedException TRANSACTION_COORDINATOR_FENCED
     *         (52): a marker with an older coordinator epoch
     * @throws org.apache.kafka.common.errors.InvalidTxnStateException INVALID_TXN_STATE (48): a non-transactional
     *         batch of a producer with an open transaction
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch, AppendOrigin origin) {
        return appendAsLeader(records, leaderEpoch, origin, null);
    }

    /**
     * {@link #appendAsLeader(MemoryRecords, int, AppendOrigin)} of a client batch whose transaction the leader
     * verified with its coordinator (KIP-890 part 1): unless the producer's transaction is open here, the batch must
     * carry the guard {@link #startTransactionVerification} returned and this log still holds.
     *
     * @param guard null when the append needs no verification; {@link VerificationGuard#SENTINEL} when the
     *              transaction was open here when checked
     * @throws org.apache.kafka.common.errors.InvalidTxnStateException INVALID_TXN_STATE (48): the transaction ended
     *         (its marker was appended) since the verification started
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch, AppendOrigin origin,
                                        VerificationGuard guard) {
        truncationCheckpoint.beforeAppend();
        return LeaderAppend.append(this, records, leaderEpoch, origin, guard);
    }

    /**
     * Appends a leader's batches as they are (Kafka's {@code appendAsFollower}): offsets, timestamps and
     * partitionLeaderEpoch are kept, nothing is renumbered or recompressed ({@link FollowerAppend} has the checks).
     * Indexes, segment roll, producer state (so that a later {@link #appendAsLeader} on this log detects duplicates
     * and keeps sequence order after a failover), the leader epoch cache (a batch whose epoch is newer than the cached
     * latest assigns it to the batch's base offset), the LEO, {@code flush.messages} and the recovery point move as
     * for a leader append; the high watermark never moves here. A failed write is undone as for a leader append
     * (ADR 0006), except that batches already written to an earlier segment before a roll stay appended.
     *
     * @param records whole batches as fetched from the leader (a trailing partial batch is ignored); not modified
     * @return the first and last offset appended; with {@code firstOffset = lastOffset = -1} and
     *         {@code recordCount = 0} when {@code records} holds no whole batch (nothing was appended)
     * @throws UnexpectedAppendOffsetException when the first batch's base offset is below the LEO
     * @throws org.apache.kafka.common.errors.CorruptRecordException   CRC mismatch, magic other than 2
     * @throws org.apache.kafka.common.InvalidRecordException          offsets not strictly increasing in the request
     * @throws org.apache.kafka.common.errors.RecordBatchTooLargeException a batch larger than {@code segment.bytes}
     * @throws KafkaStorageException on an I/O failure or a closed log
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        truncationCheckpoint.beforeAppend();
        return FollowerAppend.append(this, records);
    }

    /** Publishes a new LEO and the leader epoch of the last batch written (caller holds the lock). */
    void appended(LogOffsetMetadata end, int lastBatchEpoch) {
        logEnd = end;
        latestEpoch = lastBatchEpoch;
    }

    /** After a failed append: epochs assigned for data that did not reach the log go again (caller holds the lock). */
    void dropEpochsFromLogEnd() {
        if (epochCache.truncateFromEnd(logEnd.offset())) {
            try {
                epochCache.persist();
            } catch (IOException e) {
                failures.failed("leader epoch checkpoint", e);
            }
        }
    }

    /**
     * Completes once every offset below {@code offset} is fsynced (the recovery point reached it), starting a
     * group-commit round when none is pending; at once when it already is. Appends that arrive while a round runs are
     * covered by the next one, so concurrent appends share fsyncs ({@link GroupCommit}).
     *
     * <p>The future completes on the flusher thread: keep its callbacks short and non-blocking.
     *
     * @param offset exclusive end of a batch appended to this log (its last offset + 1)
     * @return fails with {@link KafkaStorageException} (KAFKA_STORAGE_ERROR) when an fsync of this log failed, now or
     *         earlier since it was opened, or the log was closed before the offset was on disk
     */
    public CompletableFuture<Void> flushedTo(long offset) {
        return flusher.awaitFlushed(offset);
    }

    /** Starts a new active segment at the LEO (caller holds the lock). */
    LogSegment roll(LogConfig cfg, long now) throws IOException {
        LogSegment previous = segments.active();
        long newBase = logEnd.offset();
        if (previous.baseOffset() == newBase) {
            throw new IllegalStateException("cannot roll empty segment " + previous + " of " + topicPartition);
        }
        previous.onBecomeInactive();
        producerState.takeSnapshot(newBase);
        LogSegment segment = LogSegment.open(dir, newBase, cfg.indexIntervalBytes(), cfg.segmentIndexBytes(), now);
        segments.add(segment);
        flusher.segmentCreated();
        logEnd = new LogOffsetMetadata(newBase, newBase, 0);
        LOGGER.debug("Rolled segment topicPartition={} baseOffset={}", topicPartition, newBase);
        flusher.flushInBackground(newBase);
        return segment;
    }

    /**
     * Reads whole batches starting with the batch that holds {@code fetchOffset}.
     *
     * @param fetchOffset   first offset wanted
     * @param maxBytes      byte budget; batches past it are left out, except that with {@code minOneMessage} the
     *                      first batch is returned whole even if larger (KIP-74)
     * @param maxOffset     exclusive upper bound, normally the high watermark; no batch holding it or anything above
     *                      it is returned
     * @param minOneMessage return at least one whole batch when any is readable
     * @throws OffsetOutOfRangeException when fetchOffset &lt; log start offset or &gt; LEO
     * @throws KafkaStorageException     on an I/O failure
     */
    public FetchDataInfo read(long fetchOffset, int maxBytes, long maxOffset, boolean minOneMessage) {
        LogOffsetMetadata hw = highWatermark.forRead(fetchOffset, maxOffset);
        return LogReader.read(topicPartition, segments, logStartOffset, logEnd, hw, fetchOffset, maxBytes,
                maxOffset, minOneMessage);
    }

    /**
     * The last stable offset (KIP-98, Kafka's {@code lastStableOffset}): the first offset of the oldest transaction
     * still open in this log, or of a completed one whose marker is not below the high watermark yet, capped by the
     * high watermark and at least the log start offset. {@code read_committed} consumers read below it. Lock-free.
     */
    public long lastStableOffset() {
        long hw = highWatermark();
        long lso = Math.min(hw, unstable.firstUnstable(hw));
        return Math.max(lso, Math.min(logStartOffset, hw));
    }

    /**
     * The aborted transactions that overlap [{@code startOffset}, {@code upperBoundOffset}) (last offset at or above
     * the start, first offset below the bound), in marker order, from the {@code .txnindex} of the segment holding
     * {@code startOffset} and the later ones, up to the first entry whose last stable offset reaches the bound
     * (Kafka's {@code collectAbortedTransactions}). Lock-free.
     *
     * @throws KafkaStorageException when an index cannot be read
     */
    public List<AbortedTxn> collectAbortedTransactions(long startOffset, long upperBoundOffset) {
        return LogTransactions.collect(segments, startOffset, upperBoundOffset);
    }

    /**
     * Starts the verification of producer {@code producerId}'s transaction before its first transactional batch here
     * (Kafka's {@code maybeStartTransactionVerification}, KIP-890 part 1): the returned guard goes with the append
     * once the coordinator confirmed the partition is in the transaction; a marker of the producer appended meanwhile
     * invalidates it. Thread-safe.
     *
     * @return {@link VerificationGuard#SENTINEL} when the producer's transaction is already open here at that epoch
     */
    public VerificationGuard startTransactionVerification(long producerId, short producerEpoch) {
        return locked(() -> producerState.startVerification(producerId, producerEpoch));
    }

    /**
     * Forgets the producers without an open transaction whose last batch is {@code expirationMs} older than now
     * ({@code producer.id.expiration.ms}); the next snapshot leaves them out. Thread-safe.
     *
     * @return how many were removed
     */
    public int removeExpiredProducers(long expirationMs) {
        return locked(() -> producerState.removeExpiredProducers(time.milliseconds(), expirationMs));
    }

    /** True when producer {@code producerId} has a transaction open in this log at epoch {@code producerEpoch}. */
    public boolean hasOngoingTransaction(long producerId, short producerEpoch) {
        return locked(() -> producerState.hasOngoingTransaction(producerId, producerEpoch));
    }

    /**
     * The producers with state in this log (DescribeProducers, API 61, KIP-664), in producer id order.
     *
     * @return an immutable snapshot
     */
    public List<ActiveProducer> activeProducers() {
        return locked(() -> LogTransactions.activeProducers(producerState));
    }

    /**
     * After producer state changed (caller holds the lock): publishes the open transactions and those just
     * {@code completed} for {@link #lastStableOffset}.
     */
    void transactionsChanged(List<CompletedTxn> completed) {
        List<UnstableOffsets.Pending> pending = completed.isEmpty() ? List.of() : new ArrayList<>();
        for (CompletedTxn txn : completed) {
            pending.add(new UnstableOffsets.Pending(txn.firstOffset(), txn.lastOffset()));
        }
        unstable = unstable.next(producerState.firstOngoingTxnOffset(), highWatermark(), logEnd.offset(), pending);
    }

    /** The first offset still in the log. */
    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next appended record will get (LEO). */
    public long logEndOffset() {
        return logEnd.offset();
    }

    /** Offsets below the high watermark are committed and visible to consumers. */
    public long highWatermark() {
        return highWatermark.offset();
    }

    /** The LEO with its segment and byte position (published after each completed write). */
    LogOffsetMetadata logEnd() {
        return logEnd;
    }

    /** Offset up to which the log is known to be fsynced (exclusive). */
    public long recoveryPoint() {
        return flusher.recoveryPoint();
    }

    /** Leader epoch of the last appended batch (-1 when none). */
    public int latestEpoch() {
        return latestEpoch;
    }

    /**
     * Moves the high watermark forward to {@code offset} (bounded by the LEO); never moves it back. Below the LEO only
     * the offset is kept: its position in the segment is looked up by the first read bounded by it (a follower's high
     * watermark, moved by every fetch response, is read by no one unless consumers fetch from it).
     */
    public void updateHighWatermark(long offset) {
        highWatermark.advanceTo(offset);
    }

    /**
     * ListOffsets lookup (Kafka's {@code fetchOffsetByTimestamp}): {@code -2} earliest (log start offset),
     * {@code -1} latest (high watermark), {@code -3} the record with the largest timestamp, {@code -4} earliest local,
     * {@code >= 0} the first record whose timestamp is at or after it (time index, then batch scan). The result is
     * not capped by the high watermark for {@code -3} and {@code >= 0}: the caller hides offsets at or above it.
     *
     * @return empty when no record qualifies
     */
    public Optional<FileRecords.TimestampAndOffset> fetchOffsetByTimestamp(long timestamp) {
        return new TimestampLookup(segments, logStartOffset, logEnd.offset(), highWatermark(), latestEpoch)
                .lookup(timestamp);
    }

    /** Forces every appended byte to disk (fsync of segments and indexes) and advances the recovery point. */
    public void flush() throws IOException {
        flusher.flush(Long.MAX_VALUE);
    }

    /** True when an append older than {@code flush.ms} has not been fsynced. */
    boolean flushDue(long nowMs) {
        return flusher.flushDue(nowMs);
    }

    /**
     * Deletes the oldest segments past retention (Kafka's {@code deleteOldSegments}): always those entirely below the
     * log start offset; and, when {@code cleanup.policy} includes {@code delete}, those past {@code retention.bytes}
     * and then those whose largest timestamp is older than {@code retention.ms}. Only segments wholly below the high
     * watermark go; when every segment qualifies a new empty active segment is rolled first, so the log end offset is
     * kept. The log start offset moves to the first remaining segment; deleted files become {@code .deleted} and are
     * removed after {@code file.delete.delay.ms} ({@link LogRetention}).
     *
     * @return the number of segments deleted
     * @throws KafkaStorageException on an I/O failure
     */
    public int deleteOldSegments() {
        return LogRetention.deleteOldSegments(this);
    }

    /**
     * DeleteRecords (API 21, Kafka's {@code maybeIncrementLogStartOffset} for a client deletion): moves the log start
     * offset up to {@code offset} and deletes the segments entirely below it. Reads below the new start get
     * OFFSET_OUT_OF_RANGE. The caller checkpoints the new start offset ({@link LogRetention}).
     *
     * @param offset the new log start offset, or -1 for the high watermark
     * @return the log start offset afterwards (the low watermark); unchanged when {@code offset} is not above it
     * @throws org.apache.kafka.common.errors.PolicyViolationException when {@code cleanup.policy} lacks {@code delete}
     * @throws OffsetOutOfRangeException when {@code offset} is above the high watermark or below -1
     * @throws KafkaStorageException     on an I/O failure or a closed log
     */
    public long deleteRecordsBefore(long offset) {
        return LogRetention.deleteRecordsBefore(this, offset);
    }

    /**
     * The cleaner's swap (Kafka's {@code replaceSegments}): atomically replaces {@code oldSegments} (adjacent, still in
     * the log) by {@code cleaned}, whose files carry the {@code .cleaned} suffix and hold the same offset range
     * ({@link SegmentSwap} has the rename protocol).
     *
     * @return false, changing nothing, when the log was closed or any old segment already left it (retention,
     *         DeleteRecords): the caller deletes its {@code .cleaned} files
     * @throws IOException when a rename fails
     */
    public boolean replaceSegments(LogSegment cleaned, List<LogSegment> oldSegments) throws IOException {
        return SegmentSwap.replaceSegments(this, cleaned, oldSegments);
    }

    /**
     * Removes everything at and above {@code targetOffset} (Kafka's {@code truncateTo}, a follower diverging from its
     * leader, KIP-101/279): segments above it go whole, the segment holding it is cut at its first batch whose last
     * offset is at or above it, so the LEO becomes the end of what remains (at most {@code targetOffset}). The HW and
     * recovery point come down to the LEO if above it (the one place the HW moves back); epoch cache entries starting
     * at or after the LEO go; producer state is rebuilt from the newest snapshot at or below the LEO plus a replay
     * (newer snapshots are deleted). When the first segment starts above {@code targetOffset} this is
     * {@link #truncateFullyAndStartAt}. Concurrent reads of the removed range return fewer batches or none. The
     * lowered recovery point reaches the checkpoint file at {@link #checkpointTruncation}, at the latest before the
     * next append.
     *
     * <p>At or above the LEO no data goes, but an epoch cache entry starting at the LEO still does (Kafka's
     * {@code truncateTo}, KIP-101/279): a leadership that ended before it appended anything leaves such an entry, and
     * a follower keeping it would ask its leader about that epoch again after every truncation, never finishing.
     *
     * @return false, removing no data, when {@code targetOffset} is at or above the LEO
     * @throws IllegalArgumentException when {@code targetOffset} is negative
     * @throws KafkaStorageException    on an I/O failure or a closed log
     */
    public boolean truncateTo(long targetOffset) {
        boolean removed = LogTruncation.truncateTo(this, targetOffset);
        if (removed) {
            truncationCheckpoint.markDue(); // after the recovery point came down
        }
        return removed;
    }

    /**
     * Deletes every segment and starts an empty log at {@code newOffset} (Kafka's {@code truncateFullyAndStartAt}: a
     * follower whose fetch offset fell out of the leader's range): log start offset = LEO = HW = recovery point =
     * {@code newOffset}; the epoch cache and producer state (with its snapshots) are cleared. The new recovery point
     * reaches the checkpoint file as after {@link #truncateTo}.
     *
     * @throws KafkaStorageException on an I/O failure or a closed log
     */
    public void truncateFullyAndStartAt(long newOffset) {
        LogTruncation.truncateFullyAndStartAt(this, newOffset);
        truncationCheckpoint.markDue();
    }

    /**
     * Makes this log's truncations durable in its directory's checkpoints ({@link TruncationCheckpoint}, Kafka's
     * {@code LogManager.truncateTo}): one write of the directory if a truncation is due, a volatile read otherwise.
     * Every append does it first; a follower does it after each fetcher round, so one round's truncations cost one
     * write per directory. Thread-safe; call it without this log's lock. A failed write is logged and stays due:
     * appends are refused with KAFKA_STORAGE_ERROR, each retrying it, until it succeeds (ADR 0006).
     *
     * @return false when a write was due and failed
     */
    public boolean checkpointTruncation() {
        return truncationCheckpoint.write();
    }

    /** See {@link TruncationCheckpoint}: {@link LogManager} writes it and clears or restores its mark. */
    TruncationCheckpoint truncationCheckpoint() {
        return truncationCheckpoint;
    }

    /**
     * The end offset of leader epoch {@code requestedEpoch} for OffsetsForLeaderEpoch (Kafka's
     * {@code endOffsetForEpoch}, KIP-279): the latest cached epoch ends at the LEO; an older one at the start offset
     * of the first cached epoch above it, reported with the largest cached epoch at most {@code requestedEpoch}; an
     * epoch below every cached one ends where the first cached epoch starts. Lock-free.
     *
     * @return empty (UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET on the wire) when the cache is empty or
     *         {@code requestedEpoch} is above every cached epoch or negative
     */
    public Optional<EpochEndOffset> endOffsetForEpoch(int requestedEpoch) {
        return epochCache.endOffsetFor(requestedEpoch, logEnd.offset());
    }

    /**
     * Records that {@code leaderEpoch} starts at {@code startOffset} (Kafka's {@code maybeAssignEpochStartOffset}; the
     * broker calls it with the LEO when it becomes leader) if it is newer than the latest cached epoch; older entries
     * starting at or after {@code startOffset} are replaced. The checkpoint file is written by the first append at
     * that epoch, before its data: an entry at the log end describes no data, and a load after a crash would cut it
     * anyway (so becoming leader of many idle partitions costs no fsync; Kafka's {@code assign} writes and fsyncs
     * each one).
     */
    public void assignEpochStartOffset(int leaderEpoch, long startOffset) {
        lock.lock();
        try {
            ensureOpen();
            epochCache.assign(leaderEpoch, startOffset);
        } finally {
            lock.unlock();
        }
    }

    /** The leader epoch cache's entries in epoch order (an immutable snapshot). */
    public List<EpochEntry> epochEntries() {
        return epochCache.entries();
    }

    /** The newest epoch in the leader epoch cache, empty when none. */
    public OptionalInt latestEpochInCache() {
        return epochCache.latestEpoch();
    }

    /** Where this log's storage failures are logged, once per failure streak. */
    StorageFailures storageFailures() {
        return failures;
    }

    /** The lock serializing appends, roll, flush and segment-list changes (for the package's helpers). */
    ReentrantLock lock() {
        return lock;
    }

    /** The live segment list (caller holds the lock to change it). */
    LogSegments segmentList() {
        return segments;
    }

    /** True once closed or deleted (caller holds the lock). */
    boolean isClosed() {
        return closed;
    }

    /** Marks the log closed: appends, flushes and segment changes fail or do nothing (caller holds the lock). */
    void markClosed() {
        closed = true;
    }

    /** The log's durability: recovery point, {@code flush.messages} count, group commit (for the package's helpers). */
    LogFlusher flusher() {
        return flusher;
    }

    /** Moves the log start offset (and the recovery point) up to {@code offset}; never back (caller holds the lock). */
    void advanceLogStartOffset(long offset) {
        if (offset > logStartOffset) {
            logStartOffset = offset;
            flusher.logStartAdvanced(offset);
            if (epochCache.truncateFromStart(offset)) {
                try {
                    epochCache.persist();
                } catch (IOException e) {
                    failures.failed("leader epoch checkpoint", e); // loading applies the log start again
                }
            }
        }
    }

    /**
     * After a truncation (caller holds the lock): the log now starts at {@code newLogStart} and ends at {@code end};
     * the HW and recovery point come down to the LEO if above it, group-commit waiters see the new durable end.
     */
    void truncated(long newLogStart, LogOffsetMetadata end) {
        logStartOffset = newLogStart;
        logEnd = end;
        highWatermark.truncated(newLogStart, end);
        flusher.truncated(newLogStart, end.offset());
    }

    /** The epoch of the last batch after a truncation (caller holds the lock). */
    void latestEpochAfterTruncation(int epoch) {
        latestEpoch = epoch;
    }

    /** The leader epoch cache (the package's helpers change it under the lock). */
    LeaderEpochCache epochCache() {
        return epochCache;
    }

    /** Renames a segment that left the log to {@code .deleted} and schedules its files' removal. */
    void retire(LogSegment segment, long now) throws IOException {
        segment.changeFileSuffixes("", SegmentFiles.DELETED_SUFFIX);
        deleter.schedule(segment, now + Math.max(0, config.fileDeleteDelayMs()));
    }

    /** Each producer's last appended offset (producer id to offset), for the cleaner to keep their last batch. */
    public java.util.Map<Long, Long> producerLastOffsets() {
        return locked(() -> producerState.lastOffsets());
    }

    /** The clock this log uses. */
    public Time time() {
        return time;
    }

    /** Group-commit rounds (fsyncs for {@code flush.messages}) run so far (tests and metrics). */
    long groupCommitRounds() {
        return flusher.rounds();
    }

    /** Number of segments (for tests and metrics). */
    public int numberOfSegments() {
        return segments.size();
    }

    /** Segments in base-offset order (read-only use: tests, tools, benchmarks). */
    public List<LogSegment> segments() {
        return List.copyOf(segments.all());
    }

    /** The idempotence state (read-only use under no lock is not safe: for tests). */
    ProducerStateManager producerState() {
        return producerState;
    }

    /**
     * Flushes (fsyncs the segments above the recovery point, once), snapshots producer state at the LEO unless a
     * snapshot at the LEO exists already (nothing was appended since it was taken), trims indexes and closes every
     * file. The files are closed even when the flush or the snapshot fails.
     *
     * @throws IOException the first failure: the log was not shut down cleanly (the next open must recover it)
     */
    void close() throws IOException {
        LogClose.close(this);
    }

    /** Closes every file and deletes the segments and snapshots (the directory is removed by the caller). */
    void deleteFiles() throws IOException {
        LogClose.deleteFiles(this);
    }

    /** Releases file handles as a crash would: nothing flushed, trimmed or snapshotted (tests only). */
    void closeHandlersForTesting() throws IOException {
        LogClose.closeHandlers(this);
    }

    /** Runs {@code action} under the lock (producer-state queries and changes outside appends). */
    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new KafkaStorageException("log of " + topicPartition + " is closed");
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", logStartOffset=" + logStartOffset + ", logEndOffset="
                + logEnd.offset() + ", highWatermark=" + highWatermark.offset() + ")";
    }
}
