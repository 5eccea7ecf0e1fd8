package io.samsa.storage.cleaner;

import io.samsa.storage.LogConfig;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.apache.kafka.common.utils.Time;

/**
 * One cleaning of one compacted log (Kafka's {@code Cleaner}):
 * <ol>
 *   <li>build the {@link OffsetMap} (key digest to latest offset) over the dirty range
 *       [firstDirtyOffset, firstUncleanableOffset); when the map fills, the pass ends at the last offset that fit;</li>
 *   <li>group the non-active segments below that end into runs of adjacent segments whose sizes add up to at most
 *       {@code segment.bytes} (and whose offsets fit one segment's 4-byte relative offsets);</li>
 *   <li>rewrite each group through {@link CompactionFilter} into a {@code .cleaned} segment with the group's base
 *       offset, fsync it and let {@link PartitionLog#replaceSegments} swap it in.</li>
 * </ol>
 * Offsets, batch producer metadata and timestamps are preserved; only the log's lock-protected swap blocks appends.
 *
 * <p>Not thread-safe: one per cleaner thread (it owns the map and the buffers).
 */
final class Cleaner {
    /** Totals of one cleaning. */
    record Result(long endOffset, long minRetainedHorizonMs, long bytesRead, long bytesWritten, long recordsRead,
                  long recordsRetained, int segmentsCleaned) {
    }

    private final CleanerConfig config;
    private final Time time;
    private final ChunkReader reader;
    private final Throttler throttler;
    private final BufferSupplier decompression = BufferSupplier.create();
    private final KeyScanner keys = new KeyScanner();
    private ByteBuffer writeBuffer;
    private OffsetMap map;

    Cleaner(CleanerConfig config, Time time, Throttler throttler) {
        this.config = config;
        this.time = time;
        this.throttler = throttler;
        this.reader = new ChunkReader(config.ioBytesPerThreadAndDirection());
        this.writeBuffer = ByteBuffer.allocate(config.ioBytesPerThreadAndDirection());
    }

    /**
     * Cleans {@code toClean} up to its first uncleanable offset (or less when the map fills).
     *
     * @param aborted polled between chunks; when true the cleaning stops and its output is deleted
     * @return where the next cleaning starts (the new cleaner checkpoint) and totals
     * @throws CleaningAbortedException when aborted or when the log changed under the swap
     * @throws IOException              on an I/O failure (the log's files are unchanged)
     */
    Result clean(LogToClean toClean, BooleanSupplier aborted) throws IOException {
        PartitionLog log = toClean.log();
        LogConfig logConfig = log.config();
        long now = time.milliseconds();
        List<LogSegment> segments = log.segments();
        OffsetMap offsets = offsetMap(toClean.firstUncleanableOffset() - toClean.firstDirtyOffset());
        long[] counters = new long[4]; // bytes read, bytes written, records read, records retained
        // aborted transactions' records never enter the map: they must not replace a committed value (KIP-98)
        CleanedTransactions mapTransactions = new CleanedTransactions(log.collectAbortedTransactions(
                toClean.firstDirtyOffset(), toClean.firstUncleanableOffset()), null);
        boolean full = buildOffsetMap(segments, toClean.firstDirtyOffset(), toClean.firstUncleanableOffset(), offsets,
                mapTransactions, aborted, counters);
        long endOffset = full ? offsets.latestOffset() + 1 : toClean.firstUncleanableOffset();
        CompactionFilter filter = new CompactionFilter(now, logConfig.deleteRetentionMs(), offsets, endOffset,
                log.producerLastOffsets());
        int cleaned = 0;
        for (List<LogSegment> group : groups(segments, endOffset, logConfig)) {
            cleanGroup(log, group, filter, aborted, counters);
            cleaned += group.size();
        }
        return new Result(endOffset, filter.minRetainedHorizonMs(), counters[0], counters[1], counters[2],
                counters[3], cleaned);
    }

    /** A cleared map big enough for {@code span} offsets, within this thread's dedupe budget. */
    private OffsetMap offsetMap(long span) {
        long budget = config.dedupeBytesPerThread();
        long wanted = Math.min(budget, Math.max(64 * 1024, (long) (span / CleanerConfig.LOAD_FACTOR + 1)
                * OffsetMap.BYTES_PER_ENTRY));
        long wantedCapacity = (long) (wanted / OffsetMap.BYTES_PER_ENTRY * CleanerConfig.LOAD_FACTOR);
        if (map == null || map.capacity() < wantedCapacity) {
            map = null;
            map = new OffsetMap(wanted, CleanerConfig.LOAD_FACTOR);
        } else {
            map.clear();
        }
        return map;
    }

    /** Fills {@code offsets} from the dirty range; true when it filled up before the range's end. */
    private boolean buildOffsetMap(List<LogSegment> segments, long start, long end, OffsetMap offsets,
                                   CleanedTransactions transactions, BooleanSupplier aborted, long[] counters)
            throws IOException {
        boolean[] full = {false};
        for (int i = 0; i + 1 < segments.size() && !full[0]; i++) {
            LogSegment segment = segments.get(i);
            if (segment.baseOffset() >= end || segments.get(i + 1).baseOffset() <= start) {
                continue;
            }
            int position = start > segment.baseOffset() ? segment.offsetIndex().lookup(start).position() : 0;
            reader.read(segment, position, aborted, chunk -> {
                ByteBuffer buffer = chunk.buffer();
                int consumed = 0;
                for (MutableRecordBatch batch : chunk.batches()) {
                    if (batch.baseOffset() >= end) {
                        return -1;
                    }
                    boolean abortedData = false;
                    if (batch.isControlBatch()) {
                        transactions.onControlBatch(batch); // closes the aborted transaction it ends
                    } else {
                        abortedData = transactions.onDataBatch(batch);
                    }
                    if (batch.lastOffset() >= start && !batch.isControlBatch() && !abortedData) {
                        Integer count = batch.countOrNull();
                        if (offsets.wouldOverflow(count == null ? Integer.MAX_VALUE : count)) {
                            if (offsets.size() == 0) {
                                throw new IllegalStateException("dedupe buffer too small for one batch of "
                                        + count + " records; raise log.cleaner.dedupe.buffer.size");
                            }
                            full[0] = true;
                            return -1;
                        }
                        addBatch(batch, buffer, buffer.position() + consumed, start, offsets);
                    }
                    offsets.updateLatestOffset(batch.lastOffset());
                    consumed += batch.sizeInBytes();
                }
                counters[0] += consumed;
                throttler.maybeThrottle(consumed);
                return consumed;
            });
        }
        return full[0];
    }

    /** Puts the batch's keyed records from {@code start} on into the map (in place when uncompressed). */
    private void addBatch(MutableRecordBatch batch, ByteBuffer buffer, int batchStart, long start, OffsetMap offsets) {
        if (buffer.hasArray() && batch.magic() >= RecordBatch.MAGIC_VALUE_V2
                && batch.compressionType() == CompressionType.NONE) {
            int from = buffer.arrayOffset() + batchStart;
            keys.addKeys(buffer.array(), from, from + batch.sizeInBytes(), batch.baseOffset(), batch.countOrNull(),
                    start, offsets);
            return;
        }
        try (CloseableIterator<Record> records = batch.streamingIterator(decompression)) {
            while (records.hasNext()) {
                Record record = records.next();
                if (record.hasKey() && record.offset() >= start) {
                    offsets.put(record.key(), record.offset());
                }
            }
        }
    }

    /** Runs of adjacent non-active segments below {@code endOffset}, each fitting one segment (Kafka's grouping). */
    static List<List<LogSegment>> groups(List<LogSegment> segments, long endOffset, LogConfig config) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int i = 0;
        while (i + 1 < segments.size() && segments.get(i).baseOffset() < endOffset) {
            List<LogSegment> group = new ArrayList<>();
            LogSegment first = segments.get(i);
            group.add(first);
            long bytes = first.size();
            long indexBytes = first.offsetIndex().sizeInBytes();
            long timeIndexBytes = first.timeIndex().sizeInBytes();
            i++;
            while (i + 1 < segments.size() && segments.get(i).baseOffset() < endOffset) {
                LogSegment next = segments.get(i);
                long nextEnd = segments.get(i + 1).baseOffset() - 1;
                if (bytes + next.size() > config.segmentBytes()
                        || indexBytes + next.offsetIndex().sizeInBytes() > config.segmentIndexBytes()
                        || timeIndexBytes + next.timeIndex().sizeInBytes() > config.segmentIndexBytes()
                        || nextEnd - first.baseOffset() > Integer.MAX_VALUE) {
                    break;
                }
                group.add(next);
                bytes += next.size();
                indexBytes += next.offsetIndex().sizeInBytes();
                timeIndexBytes += next.timeIndex().sizeInBytes();
                i++;
            }
            groups.add(group);
        }
        return groups;
    }

    private void cleanGroup(PartitionLog log, List<LogSegment> group, CompactionFilter filter, BooleanSupplier aborted,
                            long[] counters) throws IOException {
        LogConfig logConfig = log.config();
        long base = group.getFirst().baseOffset();
        deleteCleanedFiles(log, base);
        LogSegment cleaned = LogSegment.open(log.dir(), base, logConfig.indexIntervalBytes(),
                logConfig.segmentIndexBytes(), time.milliseconds(), SegmentFiles.CLEANED_SUFFIX);
        boolean swapped = false;
        try {
            long groupEnd = group.getLast().readNextOffset();
            filter.groupLastOffset(groupEnd - 1);
            // aborted transactions overlapping the group (their markers may lie in later segments): their data goes;
            // the cleaned segment's .txnindex keeps the entries whose marker and data it still holds
            filter.transactions(new CleanedTransactions(
                    log.collectAbortedTransactions(group.getFirst().baseOffset(), groupEnd), cleaned.txnIndex()));
            for (LogSegment segment : group) {
                reader.read(segment, 0, aborted, chunk -> {
                    writeBuffer.clear();
                    MemoryRecords.FilterResult result = chunk.filterTo(filter, writeBuffer, decompression);
                    ByteBuffer out = result.outputBuffer();
                    if (out != writeBuffer && out.capacity() > writeBuffer.capacity()) {
                        writeBuffer = ByteBuffer.allocate(out.capacity());
                    }
                    out.flip();
                    if (out.hasRemaining()) {
                        cleaned.appendBatches(MemoryRecords.readableRecords(out));
                    }
                    counters[0] += result.bytesRead();
                    counters[1] += out.remaining();
                    counters[2] += result.messagesRead();
                    counters[3] += result.messagesRetained();
                    throttler.maybeThrottle(result.bytesRead() + out.remaining());
                    return result.bytesRead();
                });
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
            if (aborted.getAsBoolean()) {
                throw new CleaningAbortedException();
            }
            swapped = log.replaceSegments(cleaned, group);
            if (!swapped) {
                throw new CleaningAbortedException();
            }
        } finally {
            if (!swapped) {
                cleaned.deleteIfExists();
            }
        }
    }

    private static void deleteCleanedFiles(PartitionLog log, long base) throws IOException {
        for (var file : List.of(SegmentFiles.logFile(log.dir(), base), SegmentFiles.offsetIndexFile(log.dir(), base),
                SegmentFiles.timeIndexFile(log.dir(), base), SegmentFiles.txnIndexFile(log.dir(), base))) {
            Files.deleteIfExists(SegmentFiles.withSuffix(file, SegmentFiles.CLEANED_SUFFIX).toPath());
        }
    }
}
