package io.samsa.storage.epoch;

import io.samsa.storage.EpochEndOffset;
import io.samsa.storage.EpochEntry;
import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader epoch cache of one partition (Kafka's {@code LeaderEpochFileCache}, KIP-101/KIP-279): for each leader
 * epoch that wrote to the log, the first offset it wrote, in epoch order with strictly increasing start offsets.
 * Backed by the partition's {@link LeaderEpochCheckpointFile}.
 *
 * <p>Persistence: the file must hold every entry whose epoch has data in the log, so the log's appends (leader and
 * follower) {@link #persist} before their data lands; every change ({@link #assign}, {@link #truncateFromEnd},
 * {@link #truncateFromStart}, {@link #clear}) changes the cache at once and marks the file stale. An entry at the log
 * end (a leader's new epoch before it wrote anything, or entries a truncation or load cut) describes no data: the load
 * after a crash cuts such entries anyway (as Kafka's {@code LogLoader} does), so neither becoming leader nor
 * {@link #flush} writes the file for them — becoming leader of 10,000 idle partitions costs no fsync, nor does the
 * clean close after it. A failed write leaves the file as it was (atomic rename) and is retried by the next persist or
 * flush. {@link #flush} also fsyncs the directory after a rename.
 *
 * <p>Thread-safety: one writer at a time (the owning log's lock); readers ({@link #endOffsetFor}, {@link #entries},
 * {@link #latestEpoch}) run concurrently without locking and see an immutable snapshot.
 */
public final class LeaderEpochCache {
    private static final Logger LOGGER = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final LeaderEpochCheckpointFile checkpoint;
    /** Immutable, sorted by epoch (and so by start offset); replaced by the single writer. */
    private volatile List<EpochEntry> entries;
    /** Writer only: what the file holds, or null when unknown (a write failed part way). */
    private List<EpochEntry> onDisk;
    /** Writer only: the file was renamed since the last directory fsync. */
    private boolean directoryDirty;

    /**
     * A cache holding {@code entries} (which must be in epoch order with increasing start offsets), backed by
     * {@code checkpoint}, whose file holds {@code onDisk} (the entries as read; empty when there is no file).
     */
    public LeaderEpochCache(LeaderEpochCheckpointFile checkpoint, List<EpochEntry> entries, List<EpochEntry> onDisk) {
        this.checkpoint = checkpoint;
        this.entries = List.copyOf(entries);
        this.onDisk = List.copyOf(onDisk);
    }

    /**
     * Loads the cache of the partition in {@code dir} at open: from its {@code leader-epoch-checkpoint}, without the
     * entries at or above {@code logEndOffset} (a tail recovery cut or a truncation whose file write was lost) and
     * moved up to {@code logStartOffset}; when the file is missing (a log written before Samsa kept it) the cache is
     * rebuilt from the {@code partitionLeaderEpoch} of every batch header from the log start on (one pass over the
     * batch headers, no record is read) and the file written; a malformed file is rebuilt the same way (with a
     * WARN). A log without epoch-stamped batches gets no file until its first epoch is assigned. A file that holds
     * more than the log is not rewritten here (that was one fsync per idle partition at every restart): the next
     * append does it, before its data.
     *
     * @throws IOException when the file cannot be read or a segment cannot be scanned
     */
    public static LeaderEpochCache load(Path dir, LogSegments segments, long logStartOffset, long logEndOffset)
            throws IOException {
        LeaderEpochCheckpointFile file = new LeaderEpochCheckpointFile(dir);
        Optional<List<EpochEntry>> stored;
        try {
            stored = file.read();
        } catch (KafkaStorageException malformed) {
            // not something Samsa writes (the file is replaced atomically): rebuild it from the log
            LOGGER.warn("Rebuilding malformed leader epoch checkpoint dir={} reason={}", dir, malformed.getMessage());
            stored = Optional.empty();
        }
        LeaderEpochCache cache;
        if (stored.isPresent()) {
            cache = new LeaderEpochCache(file, monotonic(stored.get()), stored.get());
        } else {
            List<EpochEntry> rebuilt = rebuild(segments, logStartOffset, logEndOffset);
            cache = new LeaderEpochCache(file, rebuilt, List.of());
            if (!rebuilt.isEmpty()) {
                LOGGER.info("Rebuilt missing leader epoch checkpoint dir={} entries={}", dir, rebuilt.size());
            }
        }
        cache.truncateFromEnd(logEndOffset);
        cache.truncateFromStart(logStartOffset);
        if (stored.isEmpty()) {
            try {
                cache.persist(); // a rebuilt cache is written now: a file must never miss an epoch in the log
            } catch (IOException e) {
                // the cache in memory is right; the next change or flush writes the file again
                LOGGER.warn("Could not write leader epoch checkpoint dir={} reason={}", dir, e.toString());
            }
        }
        // A file that only holds more than the cache (entries cut above) is rewritten later, by the next append
        // (before its data), as Kafka's truncateFromEndAsyncFlush: until then the next load cuts it the same way. At
        // a restart every partition whose newest epoch started at its log end (idle since its last leadership change)
        // had its file rewritten and fsynced here.
        return cache;
    }

    /** Keeps entries whose epoch and start offset both increase (drops what a hand-edited file could hold). */
    private static List<EpochEntry> monotonic(List<EpochEntry> entries) {
        List<EpochEntry> kept = new ArrayList<>(entries.size());
        for (EpochEntry entry : entries) {
            if (entry.epoch() < 0 || entry.startOffset() < 0) {
                continue;
            }
            while (!kept.isEmpty() && (kept.getLast().epoch() >= entry.epoch()
                    || kept.getLast().startOffset() >= entry.startOffset())) {
                kept.removeLast();
            }
            kept.add(entry);
        }
        return kept;
    }

    private static List<EpochEntry> rebuild(LogSegments segments, long logStartOffset, long logEndOffset) {
        List<EpochEntry> entries = new ArrayList<>();
        for (LogSegment segment : segments.range(logStartOffset, logEndOffset)) {
            for (FileChannelRecordBatch batch : segment.log().batches()) {
                int epoch = batch.partitionLeaderEpoch();
                if (epoch >= 0 && (entries.isEmpty() || epoch > entries.getLast().epoch())) {
                    entries.add(new EpochEntry(epoch, batch.baseOffset()));
                }
            }
        }
        return entries;
    }

    /** Every entry in epoch order (an immutable snapshot). */
    public List<EpochEntry> entries() {
        return entries;
    }

    /** The newest epoch in the cache, empty when none. */
    public OptionalInt latestEpoch() {
        List<EpochEntry> current = entries;
        return current.isEmpty() ? OptionalInt.empty() : OptionalInt.of(current.getLast().epoch());
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} when {@code epoch} is newer than the latest cached one
     * (or the cache is empty); older entries starting at or after {@code startOffset} are replaced (Kafka's
     * {@code assign}: such entries wrote nothing that is still in the log). The file is not written here: a caller
     * about to append data at the new epoch calls {@link #persist} first; one that only became leader leaves an entry
     * at the log end, which needs no write (see the class comment).
     *
     * @return true when the cache changed
     * @throws IllegalArgumentException when {@code epoch} or {@code startOffset} is negative
     */
    public boolean assign(int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("invalid leader epoch entry " + epoch + " " + startOffset);
        }
        List<EpochEntry> current = entries;
        if (!current.isEmpty() && epoch <= current.getLast().epoch()) {
            return false;
        }
        List<EpochEntry> next = new ArrayList<>(current.size() + 1);
        for (EpochEntry entry : current) {
            if (entry.startOffset() < startOffset) {
                next.add(entry);
            }
        }
        if (next.size() < current.size() - 1 || (next.size() == current.size() - 1
                && current.getLast().startOffset() != startOffset)) {
            LOGGER.warn("New leader epoch entry epoch={} startOffset={} replaced conflicting entries {}", epoch,
                    startOffset, current.subList(next.size(), current.size()));
        }
        next.add(new EpochEntry(epoch, startOffset));
        entries = List.copyOf(next);
        return true;
    }

    /**
     * Removes the entries whose start offset is at or above {@code endOffset} (a log truncated to that end; Kafka's
     * {@code truncateFromEnd}). Call {@link #persist()} afterwards.
     *
     * @return true when the cache changed
     */
    public boolean truncateFromEnd(long endOffset) {
        List<EpochEntry> current = entries;
        int keep = current.size();
        while (keep > 0 && current.get(keep - 1).startOffset() >= endOffset) {
            keep--;
        }
        if (keep == current.size()) {
            return false;
        }
        entries = List.copyOf(current.subList(0, keep));
        return true;
    }

    /**
     * Drops the entries wholly below a new log start offset (Kafka's {@code truncateFromStart}): the last entry
     * starting at or below {@code startOffset} is kept with its start moved up to {@code startOffset}, the ones
     * before it go. Call {@link #persist()} afterwards.
     *
     * @return true when the cache changed
     */
    public boolean truncateFromStart(long startOffset) {
        List<EpochEntry> current = entries;
        int covering = -1;
        while (covering + 1 < current.size() && current.get(covering + 1).startOffset() <= startOffset) {
            covering++;
        }
        if (covering < 0 || (covering == 0 && current.getFirst().startOffset() == startOffset)) {
            return false;
        }
        List<EpochEntry> next = new ArrayList<>(current.size() - covering);
        next.add(new EpochEntry(current.get(covering).epoch(), startOffset));
        next.addAll(current.subList(covering + 1, current.size()));
        entries = List.copyOf(next);
        return true;
    }

    /** Removes every entry. Call {@link #persist()} afterwards. */
    public void clear() {
        if (!entries.isEmpty()) {
            entries = List.of();
        }
    }

    /**
     * Writes the file when it does not hold the cache exactly (after a change, or a failed earlier write): the log
     * calls this before appending data.
     *
     * @throws IOException when the write fails (the file is unchanged; retried by the next persist or flush)
     */
    public void persist() throws IOException {
        List<EpochEntry> current = entries;
        if (current != onDisk) { // the same list once written or compared: no element-wise check per append
            if (current.equals(onDisk)) {
                onDisk = current;
            } else {
                write(current);
            }
        }
    }

    /**
     * Makes the file durable for a log whose data ends at {@code logEndOffset}: writes it when it differs from the
     * cache in an entry starting below that offset (entries at or above it describe no data and the load cuts them),
     * then fsyncs the directory when it was renamed since the last flush (the log's {@code flush()} and clean close
     * call this).
     *
     * @throws IOException when the write or the directory fsync fails
     */
    public void flush(long logEndOffset) throws IOException {
        List<EpochEntry> current = entries;
        if (onDisk == null || !below(current, logEndOffset).equals(below(onDisk, logEndOffset))) {
            write(current);
        }
        if (directoryDirty) {
            OffsetCheckpointFile.fsyncDirectory(checkpoint.file().getParent());
            directoryDirty = false;
        }
    }

    private void write(List<EpochEntry> current) throws IOException {
        onDisk = null; // unknown until the rename is done
        checkpoint.write(current);
        onDisk = current;
        directoryDirty = true;
    }

    private static List<EpochEntry> below(List<EpochEntry> list, long offset) {
        int end = 0;
        while (end < list.size() && list.get(end).startOffset() < offset) {
            end++;
        }
        return list.subList(0, end);
    }

    /**
     * For a caller about to fsync the directory anyway (a group-commit round): true when the file was renamed since
     * the last directory fsync, which the caller's fsync then covers (if it fails the caller syncs again later).
     */
    public boolean takeDirectorySync() {
        boolean dirty = directoryDirty;
        directoryDirty = false;
        return dirty;
    }

    /**
     * The end offset of {@code requestedEpoch} (Kafka's {@code LeaderEpochFileCache.endOffsetFor}, KIP-279):
     * <ul>
     *   <li>the latest cached epoch: ({@code requestedEpoch}, {@code logEndOffset});</li>
     *   <li>below the first cached epoch: ({@code requestedEpoch}, the first entry's start offset) — the data before
     *       it left the log, a follower replicates from there;</li>
     *   <li>otherwise: the largest cached epoch at most {@code requestedEpoch} and the start offset of the first
     *       cached epoch above it.</li>
     * </ul>
     *
     * @return empty (Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET) when the cache is empty, {@code requestedEpoch}
     *         is negative, or it is above every cached epoch
     */
    public Optional<EpochEndOffset> endOffsetFor(int requestedEpoch, long logEndOffset) {
        List<EpochEntry> current = entries;
        if (requestedEpoch < 0 || current.isEmpty()) {
            return Optional.empty();
        }
        if (current.getLast().epoch() == requestedEpoch) {
            return Optional.of(new EpochEndOffset(requestedEpoch, logEndOffset));
        }
        int higher = 0;
        while (higher < current.size() && current.get(higher).epoch() <= requestedEpoch) {
            higher++;
        }
        if (higher == current.size()) {
            return Optional.empty();
        }
        long end = current.get(higher).startOffset();
        int epoch = higher == 0 ? requestedEpoch : current.get(higher - 1).epoch();
        return Optional.of(new EpochEndOffset(epoch, end));
    }

    @Override
    public String toString() {
        return "LeaderEpochCache(" + entries + ")";
    }
}
