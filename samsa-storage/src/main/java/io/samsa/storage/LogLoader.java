package io.samsa.storage;

import io.samsa.storage.epoch.LeaderEpochCache;
import io.samsa.storage.index.CorruptIndexException;
import io.samsa.storage.producer.CompletedTxn;
import io.samsa.storage.producer.ProducerStateManager;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import io.samsa.storage.segment.SegmentFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and recovers it (Kafka's {@code LogLoader}):
 * <ol>
 *   <li>deletes leftovers ({@code .deleted}, {@code .cleaned}, {@code .tmp}, orphan indexes) and resolves
 *       {@code .swap} files;</li>
 *   <li>opens every segment; below the recovery point (or everywhere after a clean shutdown) a missing or corrupt
 *       index is rebuilt from the {@code .log} (a WARN: those indexes were complete);</li>
 *   <li>after an unclean shutdown, rescans every segment from the one holding the recovery point, and only those:
 *       CRC, magic and offset checks, index rebuild, and truncation at the first torn or corrupt batch; segments
 *       after a truncation are deleted. Their indexes are not checked first: a preallocated index whose zero tail
 *       was never trimmed is what a crash leaves, and it is rebuilt anyway (as Kafka, which skips the check too);</li>
 *   <li>rebuilds producer state (with the open transactions, KIP-98) from the newest snapshot plus the batches after
 *       it, and the {@code .txnindex} of every segment rescanned or re-indexed from its ABORT markers;</li>
 *   <li>loads the leader epoch cache ({@link LeaderEpochCache#load}: the checkpoint without entries beyond the
 *       recovered log end, or rebuilt from the batch headers when the file is missing).</li>
 * </ol>
 * Stateless and thread-safe: {@link LogManager} loads several partitions at once, each on one thread, before they are
 * published.
 */
final class LogLoader {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogLoader.class);

    private LogLoader() {
    }

    /** Checkpointed offsets of one partition (missing entries are -1). */
    record Checkpoints(long recoveryPoint, long logStartOffset, long highWatermark) {
        static final Checkpoints NONE = new Checkpoints(-1, -1, -1);
    }

    static PartitionLog load(Path dir, TopicPartition tp, Uuid topicId, LogConfig config, Time time,
                             boolean cleanShutdown, Checkpoints checkpoints, Executor background,
                             SegmentDeleter deleter) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = removeTemporaryFiles(dir);
        long now = time.milliseconds();
        LogSegments segments = new LogSegments();
        Set<Long> recovered = new HashSet<>();
        boolean truncated = false;
        long recoveryPoint = Math.max(0, checkpoints.recoveryPoint());
        TreeSet<Long> bases = segmentBaseOffsets(files);
        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(f.getFileName().toString()));
        // after a crash, segments from the one holding the recovery point on are rescanned below in any case
        Long firstUnflushed = bases.floor(recoveryPoint);
        long recoverFrom = cleanShutdown ? Long.MAX_VALUE : firstUnflushed == null ? Long.MIN_VALUE : firstUnflushed;
        for (long base : bases) {
            if (truncated) {
                deleteSegmentFiles(dir, base);
                continue;
            }
            if (base >= recoverFrom) { // rescanned below: its indexes are not read before
                segments.add(LogSegment.openForRecovery(dir, base, config.indexIntervalBytes(),
                        config.segmentIndexBytes(), now));
                continue;
            }
            boolean indexesExist = names.contains(SegmentFiles.offsetIndexFile(dir, base).getName())
                    && names.contains(SegmentFiles.timeIndexFile(dir, base).getName());
            LogSegment segment = LogSegment.open(dir, base, config.indexIntervalBytes(), config.segmentIndexBytes(), now);
            segments.add(segment);
            if (!indexesExist || !indexesSane(segment)) {
                LOGGER.info("Rebuilding indexes topicPartition={} segment={}", tp, base);
                recovered.add(base);
                truncated = recover(tp, segment) > 0;
            }
        }
        if (segments.isEmpty()) {
            long base = Math.max(0, checkpoints.logStartOffset());
            segments.add(LogSegment.open(dir, base, config.indexIntervalBytes(), config.segmentIndexBytes(), now));
        }
        // the .txnindex of every rescanned segment is rebuilt by the producer-state replay below
        long txnIndexFrom = recovered.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        if (!cleanShutdown) {
            boolean cut = false;
            List<LogSegment> unflushed = List.copyOf(segments.range(recoveryPoint, Long.MAX_VALUE));
            if (!unflushed.isEmpty()) {
                txnIndexFrom = Math.min(txnIndexFrom, unflushed.getFirst().baseOffset());
            }
            for (int i = 0; i < unflushed.size(); i++) {
                LogSegment segment = unflushed.get(i);
                if (cut) {
                    segments.remove(segment.baseOffset());
                    segment.deleteIfExists();
                    continue;
                }
                if (!recovered.contains(segment.baseOffset())) {
                    cut = recover(tp, segment) > 0;
                }
                if (!cut && i + 1 < unflushed.size()) {
                    cut = missingOffsetsAfter(tp, segment, unflushed.get(i + 1).baseOffset());
                }
            }
        }
        LogSegment active = segments.active();
        for (LogSegment segment : segments.all()) {
            if (segment != active) {
                segment.onBecomeInactive();
            }
        }
        // After a crash the active segment's indexes are still at their preallocated length, and reading them brought
        // pages of their zero tail into the page cache and this process's RSS (64 KiB per index with the kernel's
        // fault-around, 0.6 GiB at 10,000 partitions). Trimming drops those pages; expanding preallocates again.
        active.offsetIndex().trimToValidSize();
        active.timeIndex().trimToValidSize();
        active.offsetIndex().expandTo(config.segmentIndexBytes());
        active.timeIndex().expandTo(config.segmentIndexBytes());

        long logEndOffset = active.readNextOffset();
        long logStartOffset = Math.max(checkpoints.logStartOffset(), segments.first().orElseThrow().baseOffset());
        if (logStartOffset > logEndOffset) {
            LOGGER.warn("Log end below log start: deleting all segments topicPartition={} logStart={} logEnd={}", tp,
                    logStartOffset, logEndOffset);
            for (LogSegment segment : List.copyOf(segments.all())) {
                segments.remove(segment.baseOffset());
                segment.deleteIfExists();
            }
            active = LogSegment.open(dir, logStartOffset, config.indexIntervalBytes(), config.segmentIndexBytes(), now);
            segments.add(active);
            logEndOffset = logStartOffset;
        }
        ProducerStateManager producers = new ProducerStateManager(dir);
        int latestEpoch = rebuildProducerState(segments, producers, logStartOffset, logEndOffset, txnIndexFrom);
        long newRecoveryPoint = cleanShutdown ? logEndOffset : Math.min(recoveryPoint, logEndOffset);
        PartitionLog.LoadedState state = new PartitionLog.LoadedState(logStartOffset, logEndOffset, newRecoveryPoint,
                checkpoints.highWatermark(), latestEpoch);
        LeaderEpochCache epochs = LeaderEpochCache.load(dir, segments, logStartOffset, logEndOffset);
        return new PartitionLog(tp, topicId, dir, config, time, segments, producers, epochs, background, deleter,
                state);
    }

    private static int recover(TopicPartition tp, LogSegment segment) throws IOException {
        int truncated = segment.recover();
        if (truncated > 0) {
            LOGGER.warn("Truncated torn or corrupt tail topicPartition={} segment={} bytes={} newSize={}", tp,
                    segment.baseOffset(), truncated, segment.size());
        }
        return truncated;
    }

    /**
     * True when the unflushed {@code segment} ends below the next segment's base offset: its tail was lost in a power
     * loss while a newer segment's file survived (its directory entry was fsynced, its data was not). Appends and the
     * cleaner never leave such a gap, so the later segments are cut with the lost tail (ADR 0006).
     */
    private static boolean missingOffsetsAfter(TopicPartition tp, LogSegment segment, long nextBase) {
        long next = segment.readNextOffset();
        if (next >= nextBase) {
            return false;
        }
        LOGGER.warn("Offsets missing after unflushed segment topicPartition={} segment={} nextOffset={} "
                + "nextSegment={}: deleting the later segments", tp, segment.baseOffset(), next, nextBase);
        return true;
    }

    private static boolean indexesSane(LogSegment segment) {
        try {
            segment.offsetIndex().sanityCheck(segment.size());
            segment.timeIndex().sanityCheck();
            return true;
        } catch (CorruptIndexException e) {
            LOGGER.warn("Corrupt index segment={} reason={}", segment.file(), e.getMessage());
            return false;
        }
    }

    /**
     * Replays producer state (with open transactions) from the newest snapshot at or below {@code logEndOffset} and
     * {@code txnIndexFrom} (deleting newer ones); returns the leader epoch of the last batch (or -1). The
     * {@code .txnindex} of every segment with a base offset at or above {@code txnIndexFrom} is emptied and rebuilt from
     * the ABORT markers replayed ({@code Long.MAX_VALUE}: none). Also used after a follower's truncation.
     */
    static int rebuildProducerState(LogSegments segments, ProducerStateManager producers, long logStartOffset,
                                    long logEndOffset, long txnIndexFrom) throws IOException {
        long from = producers.loadLatestSnapshot(logStartOffset, Math.min(logEndOffset, txnIndexFrom))
                .orElse(logStartOffset);
        for (LogSegment segment : segments.from(txnIndexFrom)) {
            segment.txnIndex().reset();
        }
        int latestEpoch = -1;
        for (LogSegment segment : segments.range(from, logEndOffset)) {
            FileRecords.LogOffsetPosition start = segment.translateOffset(from);
            if (start == null) {
                continue;
            }
            boolean rebuildIndex = segment.baseOffset() >= txnIndexFrom;
            for (FileChannelRecordBatch batch : segment.log().batchesFrom(start.position)) {
                if (batch.lastOffset() >= from) {
                    Optional<CompletedTxn> completed = producers.replay(batch);
                    if (rebuildIndex && completed.isPresent()) {
                        LogTransactions.index(segment, completed.get());
                    }
                }
                latestEpoch = batch.partitionLeaderEpoch();
            }
        }
        if (latestEpoch < 0) {
            latestEpoch = lastBatchEpoch(segments);
        }
        return latestEpoch;
    }

    private static int lastBatchEpoch(LogSegments segments) {
        List<LogSegment> all = new ArrayList<>(segments.all());
        for (int i = all.size() - 1; i >= 0; i--) {
            LogSegment segment = all.get(i);
            int position = segment.offsetIndex().entries() == 0 ? 0
                    : segment.offsetIndex().entry(segment.offsetIndex().entries() - 1).position();
            int epoch = -1;
            for (FileChannelRecordBatch batch : segment.log().batchesFrom(position)) {
                epoch = batch.partitionLeaderEpoch();
            }
            if (epoch >= 0) {
                return epoch;
            }
        }
        return -1;
    }

    /** Base offsets of the {@code .log} files in {@code dir}, ascending. */
    private static TreeSet<Long> segmentBaseOffsets(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return segmentBaseOffsets(files.toList());
        }
    }

    /** Base offsets of the {@code .log} files among {@code files}, ascending. */
    private static TreeSet<Long> segmentBaseOffsets(List<Path> files) {
        TreeSet<Long> bases = new TreeSet<>();
        files.stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SegmentFiles.LOG_SUFFIX))
                .mapToLong(SegmentFiles::offsetFromFileName).filter(o -> o >= 0).forEach(bases::add);
        return bases;
    }

    /**
     * Deletes leftovers, completes swaps and removes orphan indexes; returns the files left (one directory listing
     * when there was nothing to clean, the usual case: listings are a good part of loading 10,000 partitions).
     */
    private static List<Path> removeTemporaryFiles(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        boolean changed = false;
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(SegmentFiles.DELETED_SUFFIX) || name.endsWith(SegmentFiles.CLEANED_SUFFIX)
                    || name.endsWith(".tmp")) {
                Files.deleteIfExists(file);
                changed = true;
            } else if (name.endsWith(SegmentFiles.SWAP_SUFFIX)) {
                if (name.endsWith(SegmentFiles.LOG_SUFFIX + SegmentFiles.SWAP_SUFFIX)) {
                    completeSwap(dir, file);
                } else {
                    Files.deleteIfExists(file); // a swapped segment's indexes are rebuilt from its .log
                }
                changed = true;
            }
        }
        if (changed) {
            try (Stream<Path> list = Files.list(dir)) {
                files = list.toList();
            }
        }
        Set<Long> logs = segmentBaseOffsets(files);
        List<Path> left = new ArrayList<>(files.size());
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(SegmentFiles.INDEX_SUFFIX) || name.endsWith(SegmentFiles.TIME_INDEX_SUFFIX)
                    || name.endsWith(SegmentFiles.TXN_INDEX_SUFFIX)) {
                long base = SegmentFiles.offsetFromFileName(name);
                if (base >= 0 && !logs.contains(base)) {
                    Files.delete(file);
                    continue;
                }
            }
            left.add(file);
        }
        return left;
    }

    /**
     * Finishes a cleaner swap interrupted by a crash (Kafka's {@code LogLoader} swap handling): a {@code .log.swap} is
     * a complete, fsynced replacement for every segment whose base offset lies in its offset range, so those are
     * deleted and the swap file takes its final name. Its indexes are rebuilt on open.
     */
    private static void completeSwap(Path dir, Path swap) throws IOException {
        String name = swap.getFileName().toString();
        long base = SegmentFiles.offsetFromFileName(name);
        if (base < 0) {
            Files.delete(swap);
            return;
        }
        long next = base;
        try (FileRecords records = FileRecords.open(swap.toFile())) {
            for (FileChannelRecordBatch batch : records.batches()) {
                next = batch.nextOffset();
            }
        }
        for (long old : segmentBaseOffsets(dir)) {
            if (old >= base && (old < next || old == base)) {
                deleteSegmentFiles(dir, old);
            }
        }
        Files.move(swap, SegmentFiles.logFile(dir, base).toPath());
        LOGGER.info("Completed interrupted segment swap dir={} baseOffset={} nextOffset={}", dir, base, next);
    }

    private static void deleteSegmentFiles(Path dir, long base) throws IOException {
        for (File file : List.of(SegmentFiles.logFile(dir, base), SegmentFiles.offsetIndexFile(dir, base),
                SegmentFiles.timeIndexFile(dir, base), SegmentFiles.txnIndexFile(dir, base))) {
            Files.deleteIfExists(file.toPath());
        }
    }

    /** Parses {@code <topic>-<partition>}; empty for names that are not partition directories. */
    static Optional<TopicPartition> parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
