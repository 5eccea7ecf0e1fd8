package io.samsa.storage.segment;

import io.samsa.storage.files.StorageFiles;
import io.samsa.storage.index.OffsetIndex;
import io.samsa.storage.index.OffsetPosition;
import io.samsa.storage.index.TimeIndex;
import io.samsa.storage.index.TimestampOffset;
import io.samsa.storage.txn.TransactionIndex;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

/**
 * One segment of a partition log (Kafka's {@code LogSegment}): a {@code .log} file of v2 record batches exactly as
 * they travel on the wire, plus its sparse {@link OffsetIndex} and {@link TimeIndex}. All files are named by the
 * segment's base offset, the first offset it may hold.
 *
 * <p>Thread-safety: the owning {@code PartitionLog} is the single writer ({@link #append}, {@link #recover},
 * {@link #onBecomeInactive}, {@link #close}); {@link #read}, {@link #translateOffset} and
 * {@link #findOffsetByTimestamp} may run concurrently with it. Readers must bound reads by a position that the writer
 * has published (a completed append), which {@code PartitionLog} does.
 */
public final class LogSegment implements Closeable {
    private static final int HEADER_SIZE = Records.LOG_OVERHEAD;

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private int bytesSinceLastIndexEntry;
    /**
     * Max timestamp so far and the last offset of the batch that carried it; null until first needed when the segment
     * was opened from existing indexes ({@link #max()} reads the time index's last entry then, as Kafka's
     * {@code LogSegment} does), so that opening an idle segment touches no page of its time index: at a restart of
     * 10,000 partitions that page was ~40 MiB of resident memory. Read through {@link #max()} only.
     */
    private volatile TimestampOffset maxTimestampSoFar;
    private OptionalLong rollingBasedTimestamp = OptionalLong.empty();
    private static final VarHandle MAX_TIMESTAMP;

    static {
        try {
            MAX_TIMESTAMP = MethodHandles.lookup().findVarHandle(LogSegment.class, "maxTimestampSoFar",
                    TimestampOffset.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex,
                       TransactionIndex txnIndex, int indexIntervalBytes, long createdMs, boolean readIndexes) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.maxTimestampSoFar = readIndexes ? null : new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset);
    }

    /**
     * Opens (creating when absent) the segment with base offset {@code baseOffset} in {@code dir}.
     *
     * @param indexBytes preallocation of each index in bytes ({@code segment.index.bytes}); existing index files keep
     *                   their length
     * @param nowMs      creation time used for {@code segment.ms} until the first batch carries a timestamp
     */
    public static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int indexBytes, long nowMs)
            throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, indexBytes, nowMs, "");
    }

    /**
     * Opens (creating when absent) a segment whose three files carry {@code fileSuffix} after their usual names, e.g.
     * {@code 00000000000000000000.log.cleaned} for the cleaner's output ({@code ""}: the usual names).
     */
    public static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int indexBytes, long nowMs,
                                  String fileSuffix) throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, indexBytes, nowMs, fileSuffix, true);
    }

    /**
     * Opens a segment whose indexes {@link #recover()} is about to rebuild (recovery after a crash) without reading
     * them: a crash leaves an index at its preallocated length, and reading its last entry would fault in pages of its
     * zero tail (time, and resident memory, per partition). Call {@link #recover()} before anything else.
     */
    public static LogSegment openForRecovery(Path dir, long baseOffset, int indexIntervalBytes, int indexBytes,
                                             long nowMs) throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, indexBytes, nowMs, "", false);
    }

    private static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int indexBytes, long nowMs,
                                   String fileSuffix, boolean readIndexes) throws IOException {
        File logFile = SegmentFiles.withSuffix(SegmentFiles.logFile(dir, baseOffset), fileSuffix);
        File offsetFile = SegmentFiles.withSuffix(SegmentFiles.offsetIndexFile(dir, baseOffset), fileSuffix);
        File timeFile = SegmentFiles.withSuffix(SegmentFiles.timeIndexFile(dir, baseOffset), fileSuffix);
        boolean logExisted = logFile.exists();
        boolean offsetExisted = offsetFile.exists();
        FileRecords log = StorageFiles.of(dir).openRecords(logFile);
        OffsetIndex offsetIndex = null;
        try {
            offsetIndex = new OffsetIndex(offsetFile, baseOffset, indexBytes);
            TimeIndex timeIndex = new TimeIndex(timeFile, baseOffset, indexBytes);
            TransactionIndex txnIndex = new TransactionIndex(
                    SegmentFiles.withSuffix(SegmentFiles.txnIndexFile(dir, baseOffset), fileSuffix));
            return new LogSegment(baseOffset, log, offsetIndex, timeIndex, txnIndex, indexIntervalBytes, nowMs,
                    readIndexes);
        } catch (IOException | RuntimeException e) {
            // leave no half-created segment behind (a full disk): a retry must start from the same files
            try {
                if (offsetIndex != null) {
                    if (offsetExisted) {
                        offsetIndex.closeHandler();
                    } else {
                        offsetIndex.deleteIfExists();
                    }
                }
                log.closeHandlers();
                if (!logExisted) {
                    Files.deleteIfExists(logFile.toPath());
                }
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** The {@code .log} file contents (whole file, current size). */
    public FileRecords log() {
        return log;
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    /** The aborted transactions whose ABORT marker is in this segment ({@code .txnindex}, created lazily). */
    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    /** Bytes in the {@code .log} (published after each completed append). */
    public int size() {
        return log.sizeInBytes();
    }

    /**
     * The max timestamp so far, read from the time index on first use after an open; thread-safe: a reader racing a
     * writer can only install the value the index held before the writer's change ({@code compareAndSet} from null),
     * and every writer reads through here before it changes the field.
     */
    private TimestampOffset max() {
        TimestampOffset max = maxTimestampSoFar;
        if (max != null) {
            return max;
        }
        MAX_TIMESTAMP.compareAndSet(this, null, timeIndex.lastEntry());
        return maxTimestampSoFar;
    }

    /** Largest batch max-timestamp in this segment (ms), or -1. */
    public long maxTimestampSoFar() {
        return max().timestamp();
    }

    /** Max timestamp so far with the last offset of the batch holding it. */
    public TimestampOffset maxTimestampAndOffsetSoFar() {
        return max();
    }

    /** True when {@code offset} fits this segment's 4-byte relative offsets. */
    public boolean canConvertToRelativeOffset(long offset) {
        long relative = offset - baseOffset;
        return relative >= 0 && relative <= Integer.MAX_VALUE;
    }

    /**
     * Whether the log must roll before appending a batch (Kafka's {@code LogSegment.shouldRoll}): the batch would take
     * the segment past {@code segmentBytes}; the segment is non-empty and older than {@code segmentMs} (age counted from
     * the first batch's max timestamp, or from creation when that is absent); an index is full; or
     * {@code lastOffset} does not fit a relative offset.
     */
    public boolean shouldRoll(int segmentBytes, long segmentMs, int batchBytes, long lastOffset, long nowMs) {
        int size = size();
        boolean tooOld = size > 0 && timeWaitedForRoll(nowMs) > segmentMs;
        return (long) size + batchBytes > segmentBytes || tooOld || offsetIndex.isFull() || timeIndex.isFull()
                || !canConvertToRelativeOffset(lastOffset);
    }

    private long timeWaitedForRoll(long nowMs) {
        if (rollingBasedTimestamp.isEmpty()) {
            for (FileChannelRecordBatch batch : log.batches()) {
                rollingBasedTimestamp = OptionalLong.of(batch.maxTimestamp());
                break;
            }
        }
        long ts = rollingBasedTimestamp.orElse(-1);
        return nowMs - (ts >= 0 ? ts : createdMs);
    }

    /**
     * Appends one already validated and renumbered batch with a single channel write, then indexes it.
     *
     * @param lastOffset   the batch's last offset
     * @param maxTimestamp the batch's max timestamp (ms)
     * @param records      exactly one batch
     * @return the byte position the batch was written at
     */
    public int append(long lastOffset, long maxTimestamp, MemoryRecords records) throws IOException {
        int position = log.sizeInBytes();
        if (!canConvertToRelativeOffset(lastOffset)) {
            throw new IllegalArgumentException("offset " + lastOffset + " out of range for segment " + baseOffset);
        }
        TimestampOffset maxBefore = max();
        int bytesBefore = bytesSinceLastIndexEntry;
        try {
            log.append(records);
            if (maxTimestamp > max().timestamp()) {
                maxTimestampSoFar = new TimestampOffset(maxTimestamp, lastOffset);
            }
            indexBatch(lastOffset, position, records.sizeInBytes());
        } catch (IOException | RuntimeException | InternalError e) {
            // InternalError: a store into a memory-mapped index page the file system could not back (SIGBUS)
            maxTimestampSoFar = maxBefore;
            bytesSinceLastIndexEntry = bytesBefore;
            offsetIndex.truncateTo(lastOffset);
            timeIndex.truncateTo(lastOffset);
            truncateFailedWrite(position, e);
            if (e instanceof RuntimeException bug) {
                throw bug; // not a storage failure (e.g. a full index the caller should have rolled): undone, rethrown
            }
            throw e instanceof IOException io ? io : new IOException("index write to " + log.file() + " failed", e);
        }
        if (position == 0) {
            rollingBasedTimestamp = OptionalLong.of(maxTimestamp);
        }
        return position;
    }

    /**
     * Removes the bytes a failed write may have left after {@code position} (a write that hit a full disk leaves the
     * part that fitted), so that the file ends where the last complete batch ends.
     */
    private void truncateFailedWrite(int position, Throwable failure) {
        try {
            log.truncateTo(position);
            if (log.channel().size() > position) {
                log.channel().truncate(position);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Bytes past the last complete batch: non-zero only when a failed write's tail could not be removed yet (see
     * {@link #truncateFailedWrite}); the log must not append until {@link #repairTail()} succeeds.
     */
    public long unpublishedBytes() throws IOException {
        return log.channel().size() - log.sizeInBytes();
    }

    /**
     * Cuts the file back to its last complete batch after a failed write whose tail could not be removed then.
     *
     * @throws IOException when the truncation fails again
     */
    public void repairTail() throws IOException {
        int size = log.sizeInBytes();
        if (log.channel().size() > size) {
            log.channel().truncate(size);
        }
        log.channel().position(size);
    }

    /**
     * Appends batches whose offsets are already assigned (a follower's copy of the leader's batches) with a single
     * channel write, then indexes each batch. Undone like {@link #append} when the write or an index entry fails: the
     * file ends at its last complete batch again and the indexes and max timestamp are as before.
     *
     * @param records whole v2 batches with increasing offsets, all fitting this segment's relative offsets
     * @return the byte position the first batch was written at
     */
    public int appendReplicated(MemoryRecords records) throws IOException {
        int position = log.sizeInBytes();
        TimestampOffset maxBefore = max();
        int bytesBefore = bytesSinceLastIndexEntry;
        OptionalLong rollingBefore = rollingBasedTimestamp;
        long firstOffset = -1;
        try {
            log.append(records);
            int batchPosition = position;
            for (MutableRecordBatch batch : records.batches()) {
                if (firstOffset < 0) {
                    firstOffset = batch.baseOffset();
                }
                if (batchPosition == 0) {
                    rollingBasedTimestamp = OptionalLong.of(batch.maxTimestamp());
                }
                if (batch.maxTimestamp() > max().timestamp()) {
                    maxTimestampSoFar = new TimestampOffset(batch.maxTimestamp(), batch.lastOffset());
                }
                indexBatch(batch.lastOffset(), batchPosition, batch.sizeInBytes());
                batchPosition += batch.sizeInBytes();
            }
        } catch (IOException | RuntimeException | InternalError e) {
            maxTimestampSoFar = maxBefore;
            bytesSinceLastIndexEntry = bytesBefore;
            rollingBasedTimestamp = rollingBefore;
            if (firstOffset >= 0) {
                offsetIndex.truncateTo(firstOffset);
                timeIndex.truncateTo(firstOffset);
            }
            truncateFailedWrite(position, e);
            if (e instanceof RuntimeException bug) {
                throw bug;
            }
            throw e instanceof IOException io ? io : new IOException("index write to " + log.file() + " failed", e);
        }
        return position;
    }

    /**
     * Removes every batch whose last offset is at or above {@code offset} (Kafka's {@code LogSegment.truncateTo}): the
     * file is cut at the first such batch, so a batch holding {@code offset} goes whole; index entries at or above
     * {@code offset} go and the max timestamp is recomputed. Readers holding a slice of the removed range read less or
     * nothing.
     *
     * <p>Durability: when bytes go, the {@code .log} is fsynced ({@code fdatasync}, which covers a size change) before
     * this returns, so the cut survives a power loss. Kafka leaves it to the next flush; until then a power loss can
     * undo the cut on ext4 or XFS and bring the removed batches back below checkpoints (high watermark, leader
     * epochs) written for the data appended after it. The indexes are not fsynced: the lowered recovery point makes
     * recovery rebuild them.
     *
     * @return the number of bytes removed
     */
    public int truncateTo(long offset) throws IOException {
        FileRecords.LogOffsetPosition cut = translateOffset(offset);
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        txnIndex.truncateTo(offset);
        if (cut == null) {
            return 0;
        }
        int removed = log.truncateTo(cut.position);
        if (removed > 0) {
            log.channel().force(false);
        }
        bytesSinceLastIndexEntry = 0;
        if (log.sizeInBytes() == 0) {
            rollingBasedTimestamp = OptionalLong.empty();
        }
        TimestampOffset max = timeIndex.entries() == 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset)
                : timeIndex.lastEntry();
        int from = offsetIndex.lookup(max.offset()).position();
        for (FileChannelRecordBatch batch : log.batchesFrom(from)) {
            if (batch.maxTimestamp() > max.timestamp()) {
                max = new TimestampOffset(batch.maxTimestamp(), batch.lastOffset());
            }
        }
        maxTimestampSoFar = max;
        return removed;
    }

    /**
     * Appends already offset-assigned batches (the cleaner's output) with a single channel write, then indexes each
     * batch. Not for the active segment of a live log: the cleaner writes a segment nobody reads yet.
     */
    public void appendBatches(MemoryRecords records) throws IOException {
        try {
            appendAndIndexBatches(records);
        } catch (InternalError e) {
            // a store into a memory-mapped index page the file system could not back (SIGBUS on a full disk)
            throw new IOException("index write for " + log.file() + " failed", e);
        }
    }

    private void appendAndIndexBatches(MemoryRecords records) throws IOException {
        int position = log.sizeInBytes();
        log.append(records);
        for (MutableRecordBatch batch : records.batches()) {
            if (!canConvertToRelativeOffset(batch.lastOffset())) {
                throw new IllegalArgumentException("offset " + batch.lastOffset() + " out of range for segment "
                        + baseOffset);
            }
            if (position == 0) {
                rollingBasedTimestamp = OptionalLong.of(batch.maxTimestamp());
            }
            if (batch.maxTimestamp() > max().timestamp()) {
                maxTimestampSoFar = new TimestampOffset(batch.maxTimestamp(), batch.lastOffset());
            }
            indexBatch(batch.lastOffset(), position, batch.sizeInBytes());
            position += batch.sizeInBytes();
        }
    }

    /**
     * Renames the three files from {@code oldSuffix} to {@code newSuffix} ({@code ""} is the usual name), indexes first
     * and the {@code .log} last, so that the {@code .log} rename is the commit point of a swap. Open channels and
     * mappings stay valid, so readers of this segment are unaffected; an existing target is replaced.
     */
    public void changeFileSuffixes(String oldSuffix, String newSuffix) throws IOException {
        offsetIndex.renameTo(SegmentFiles.withSuffix(SegmentFiles.withoutSuffix(offsetIndex.file(), oldSuffix), newSuffix));
        timeIndex.renameTo(SegmentFiles.withSuffix(SegmentFiles.withoutSuffix(timeIndex.file(), oldSuffix), newSuffix));
        txnIndex.renameTo(SegmentFiles.withSuffix(SegmentFiles.withoutSuffix(txnIndex.file(), oldSuffix), newSuffix));
        log.renameTo(SegmentFiles.withSuffix(SegmentFiles.withoutSuffix(log.file(), oldSuffix), newSuffix));
    }

    /**
     * The segment's largest record timestamp (ms) used by {@code retention.ms} and {@code min.compaction.lag.ms}
     * (Kafka's {@code LogSegment.largestTimestamp}): the max timestamp of its batches, or the file's last-modified
     * time when no batch carries one.
     */
    public long largestTimestamp() {
        long max = max().timestamp();
        return max >= 0 ? max : lastModifiedMs();
    }

    /** The max timestamp of the segment's first batch (ms), or -1 when empty (Kafka's {@code getFirstBatchTimestamp}). */
    public long firstBatchTimestamp() {
        for (FileChannelRecordBatch batch : log.batches()) {
            return batch.maxTimestamp();
        }
        return RecordBatch.NO_TIMESTAMP;
    }

    private void indexBatch(long lastOffset, int position, int size) throws IOException {
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(lastOffset, position);
            TimestampOffset max = max();
            timeIndex.maybeAppend(max.timestamp(), max.offset(), false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += size;
    }

    /**
     * The first batch whose last offset is at least {@code offset}, searching from the index's floor entry.
     *
     * @return the batch's last offset, start position and size, or null when no such batch is in the segment
     */
    public FileRecords.LogOffsetPosition translateOffset(long offset) {
        OffsetPosition floor = offsetIndex.lookup(offset);
        return log.searchForOffsetFromPosition(offset, floor.position());
    }

    /**
     * Reads whole batches from the batch holding {@code startOffset}.
     *
     * @param maxSize       byte budget
     * @param maxPosition   exclusive byte bound, a batch boundary the writer has published
     * @param minOneMessage return the first batch whole even when larger than {@code maxSize} (KIP-74)
     * @return a slice (no copy), {@link MemoryRecords#EMPTY}, or null when {@code startOffset} is past this segment
     */
    public Records read(long startOffset, int maxSize, int maxPosition, boolean minOneMessage) throws IOException {
        FileRecords.LogOffsetPosition start = translateOffset(startOffset);
        if (start == null) {
            return null;
        }
        // a truncation (follower) may have cut the file below the position the reader was given
        maxPosition = Math.min(maxPosition, log.sizeInBytes());
        if (start.position >= maxPosition) {
            return MemoryRecords.EMPTY;
        }
        try {
            if (start.size > maxSize) {
                return minOneMessage ? log.slice(start.position, start.size) : MemoryRecords.EMPTY;
            }
            long limit = Math.min(maxPosition, (long) start.position + maxSize);
            int end = limit == maxPosition ? maxPosition
                    : lastBoundaryAtOrBefore(start.position + start.size, (int) limit);
            return log.slice(start.position, end - start.position);
        } catch (IllegalArgumentException truncatedMeanwhile) {
            return MemoryRecords.EMPTY; // the range was truncated away while this read ran
        }
    }

    /** The largest batch boundary in {@code [from, limit]}, where {@code from} is a boundary. */
    private int lastBoundaryAtOrBefore(int from, int limit) throws IOException {
        int position = Math.max(from, offsetIndex.lookupByPosition(limit).position());
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        while (position + HEADER_SIZE <= limit) {
            header.clear();
            if (!readFully(header, position)) {
                break;
            }
            int size = HEADER_SIZE + header.getInt(Records.SIZE_OFFSET);
            if (size <= HEADER_SIZE || (long) position + size > limit) {
                break;
            }
            position += size;
        }
        return position;
    }

    private boolean readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = log.channel().read(buffer, position + buffer.position());
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at least {@code timestampMs}.
     */
    public Optional<FileRecords.TimestampAndOffset> findOffsetByTimestamp(long timestampMs, long startingOffset) {
        TimestampOffset floor = timeIndex.lookup(timestampMs);
        int position = offsetIndex.lookup(Math.max(floor.offset(), startingOffset)).position();
        return Optional.ofNullable(log.searchForTimestamp(timestampMs, position, startingOffset));
    }

    /** The offset after the last batch (the base offset when empty). */
    public long readNextOffset() {
        OffsetPosition last = offsetIndex.entries() == 0 ? new OffsetPosition(baseOffset, 0)
                : offsetIndex.entry(offsetIndex.entries() - 1);
        long next = baseOffset;
        for (FileChannelRecordBatch batch : log.batchesFrom(last.position())) {
            next = batch.nextOffset();
        }
        return next;
    }

    /**
     * Rebuilds both indexes and the max timestamp by scanning every batch, and truncates the {@code .log} at the first
     * batch that is partial, fails its CRC, is not magic v2, or whose offsets do not increase (Kafka's
     * {@code LogSegment.recover}).
     *
     * @return number of bytes truncated
     */
    public int recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestampSoFar = new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset);
        bytesSinceLastIndexEntry = 0;
        rollingBasedTimestamp = OptionalLong.empty();
        int validBytes = 0;
        long nextOffset = baseOffset;
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    throw new CorruptRecordException("magic " + batch.magic() + " at position " + validBytes);
                }
                batch.ensureValid();
                if (batch.baseOffset() < nextOffset || batch.lastOffset() < batch.baseOffset()
                        || !canConvertToRelativeOffset(batch.lastOffset())) {
                    throw new CorruptRecordException("offsets " + batch.baseOffset() + ".." + batch.lastOffset()
                            + " do not follow " + nextOffset + " at position " + validBytes);
                }
                if (batch.maxTimestamp() > max().timestamp()) {
                    maxTimestampSoFar = new TimestampOffset(batch.maxTimestamp(), batch.lastOffset());
                }
                indexBatch(batch.lastOffset(), validBytes, batch.sizeInBytes());
                validBytes += batch.sizeInBytes();
                nextOffset = batch.nextOffset();
            }
        } catch (CorruptRecordException | org.apache.kafka.common.InvalidRecordException e) {
            // the tail from validBytes on is torn or corrupt: truncated below
        }
        int truncated = log.sizeInBytes() - validBytes;
        if (truncated > 0) {
            log.truncateTo(validBytes);
        }
        return truncated;
    }

    /**
     * Called when a newer segment becomes active: records the final max timestamp in the time index and trims both
     * indexes (and the log) to their valid size.
     */
    public void onBecomeInactive() throws IOException {
        TimestampOffset max = maxTimestampSoFar; // null: not changed since the open, the index already ends with it
        if (max != null) {
            timeIndex.maybeAppend(max.timestamp(), max.offset(), true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        log.trim();
    }

    /** Forces the log and the indexes to disk. */
    public void flush() throws IOException {
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Last-modified time of the {@code .log} in ms. */
    public long lastModifiedMs() {
        return log.file().lastModified();
    }

    /**
     * Records the final max timestamp, trims the indexes and the log and closes every file; the handles are released
     * even when a step fails. Nothing is fsynced here: the owner flushes first ({@link #flush()}), so that a clean
     * shutdown fsyncs each segment once.
     *
     * @throws IOException the first failure (a full disk)
     */
    @Override
    public void close() throws IOException {
        TimestampOffset max = maxTimestampSoFar; // null: not changed since the open, the index already ends with it
        try {
            if (max != null) {
                timeIndex.maybeAppend(max.timestamp(), max.offset(), true);
            }
            offsetIndex.close();
            timeIndex.close();
            txnIndex.close();
            log.trim();
            log.closeHandlers();
        } catch (IOException | RuntimeException e) {
            // a full disk: release every handle anyway (recovery rebuilds what was not written)
            try {
                closeHandlers();
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Releases the file handles without trimming or recording anything (as a crash would leave the files). */
    public void closeHandlers() throws IOException {
        offsetIndex.closeHandler();
        timeIndex.closeHandler();
        txnIndex.close();
        log.closeHandlers();
    }

    /** Closes every file and deletes them. */
    public void deleteIfExists() throws IOException {
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
        log.closeHandlers();
        Files.deleteIfExists(log.file().toPath());
    }

    /** The segment's {@code .log} file. */
    public File file() {
        return log.file();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size() + ")";
    }
}
