package io.samsa.storage;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.epoch.LeaderEpochCache;
import io.samsa.storage.producer.ProducerStateManager;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's truncations of one {@link PartitionLog} (Kafka's {@code UnifiedLog.truncateTo} and
 * {@code truncateFullyAndStartAt}, KIP-101/KIP-279): whole segments above the target leave the log (renamed
 * {@code .deleted}, removed after {@code file.delete.delay.ms}, so in-flight reads finish), the segment holding the
 * target is cut at its first batch whose last offset is at or above it, then the log's offsets, the leader epoch
 * cache and the producer state are made to match what remains.
 *
 * <p>Crash safety (as Kafka): the partition directory is fsynced after the renames, so removed segments cannot come
 * back from a power loss above data appended after the truncation, and {@link PartitionLog} then has its
 * {@link LogManager} checkpoint the lowered recovery point, so recovery after a power loss rescans from the
 * truncation point instead of trusting a recovery point above it. Beyond Kafka, {@link LogSegment#truncateTo} fsyncs
 * the cut {@code .log}, so its removed batches cannot come back either.
 *
 * <p>Stateless: every method works on the log it is given, under that log's lock.
 */
final class LogTruncation {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogTruncation.class);

    private LogTruncation() {
    }

    /** See {@link PartitionLog#truncateTo(long)}. */
    static boolean truncateTo(PartitionLog log, long targetOffset) {
        if (targetOffset < 0) {
            throw new IllegalArgumentException("cannot truncate " + log.topicPartition() + " to " + targetOffset);
        }
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            if (targetOffset >= log.logEndOffset()) {
                trimEpochsAtLogEnd(log);
                return false;
            }
            LogSegments segments = log.segmentList();
            if (segments.first().orElseThrow().baseOffset() > targetOffset) {
                truncateFullyAndStartAt(log, targetOffset);
                return true;
            }
            long before = log.logEndOffset();
            long now = log.time().milliseconds();
            boolean retired = false;
            for (LogSegment segment : segments.from(targetOffset + 1)) {
                segments.remove(segment.baseOffset());
                log.retire(segment, now);
                retired = true;
            }
            if (retired) {
                // the removal survives a power loss: the segments must not come back above new appends
                OffsetCheckpointFile.fsyncDirectory(log.dir());
            }
            LogSegment active = segments.active();
            active.truncateTo(targetOffset);
            active.offsetIndex().expandTo(log.config().segmentIndexBytes());
            active.timeIndex().expandTo(log.config().segmentIndexBytes());
            long newEnd = active.readNextOffset();
            log.truncated(Math.min(log.logStartOffset(), targetOffset),
                    new LogOffsetMetadata(newEnd, active.baseOffset(), active.size()));
            restoreState(log, newEnd);
            LOGGER.info("Truncated log topicPartition={} target={} logEndOffset={} previousLogEndOffset={}",
                    log.topicPartition(), targetOffset, newEnd, before);
            return true;
        } catch (IOException e) {
            log.storageFailures().failed("truncation", e);
            throw new KafkaStorageException("truncating " + log.topicPartition() + " to " + targetOffset
                    + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A truncation at or above the log end removes no data, but still drops the epoch entry starting at the log end
     * (as Kafka's {@code UnifiedLog.truncateTo} does, KIP-101/279): a broker that became leader and lost the
     * leadership before appending keeps an entry that describes no data and that its new leader never had. Kept, it
     * stays the newest epoch, so the follower's next OffsetsForLeaderEpoch asks about it again and the truncation
     * never ends; dropped, the follower asks with the older epoch below it. The file is written only when it held the
     * entry (the cache compares with what it wrote; such an entry is normally only in memory, see
     * {@link LeaderEpochCache}), and a load would cut it anyway.
     */
    private static void trimEpochsAtLogEnd(PartitionLog log) {
        LeaderEpochCache epochs = log.epochCache();
        long logEndOffset = log.logEndOffset();
        if (epochs.truncateFromEnd(logEndOffset)) {
            persistEpochs(log, epochs);
            LOGGER.info("Dropped leader epoch entries at the log end topicPartition={} logEndOffset={} entries={}",
                    log.topicPartition(), logEndOffset, epochs.entries());
        }
    }

    /** See {@link PartitionLog#truncateFullyAndStartAt(long)}. */
    static void truncateFullyAndStartAt(PartitionLog log, long newOffset) {
        if (newOffset < 0) {
            throw new IllegalArgumentException("cannot restart " + log.topicPartition() + " at " + newOffset);
        }
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            LogSegments segments = log.segmentList();
            long now = log.time().milliseconds();
            LogConfig cfg = log.config();
            List<LogSegment> old = List.copyOf(segments.all());
            LogSegment fresh = null;
            if (old.stream().noneMatch(s -> s.baseOffset() == newOffset)) {
                fresh = LogSegment.open(log.dir(), newOffset, cfg.indexIntervalBytes(), cfg.segmentIndexBytes(), now);
            }
            for (LogSegment segment : old) {
                segments.remove(segment.baseOffset());
                if (segment.baseOffset() == newOffset) {
                    segment.truncateTo(newOffset); // the same file name: emptied in place, not retired
                    fresh = segment;
                } else {
                    log.retire(segment, now);
                }
            }
            fresh.offsetIndex().expandTo(cfg.segmentIndexBytes());
            fresh.timeIndex().expandTo(cfg.segmentIndexBytes());
            segments.add(fresh);
            OffsetCheckpointFile.fsyncDirectory(log.dir()); // the old segments' removal survives a power loss
            log.truncated(newOffset, new LogOffsetMetadata(newOffset, newOffset, 0));
            ProducerStateManager producers = log.producerState();
            producers.clear();
            producers.deleteSnapshots();
            log.transactionsChanged(List.of());
            LeaderEpochCache epochs = log.epochCache();
            epochs.clear();
            persistEpochs(log, epochs);
            log.latestEpochAfterTruncation(-1);
            LOGGER.info("Truncated log fully topicPartition={} newOffset={}", log.topicPartition(), newOffset);
        } catch (IOException e) {
            log.storageFailures().failed("truncation", e);
            throw new KafkaStorageException("restarting " + log.topicPartition() + " at " + newOffset + " failed: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The epoch cache and producer state after a truncation to {@code logEndOffset}: epoch entries from there on go;
     * producer state is reloaded from the newest snapshot at or below it (newer ones are deleted) and the batches after
     * it replayed, as at start-up.
     */
    private static void restoreState(PartitionLog log, long logEndOffset) throws IOException {
        LeaderEpochCache epochs = log.epochCache();
        if (epochs.truncateFromEnd(logEndOffset)) {
            persistEpochs(log, epochs);
        }
        int lastBatchEpoch = LogLoader.rebuildProducerState(log.segmentList(), log.producerState(),
                log.logStartOffset(), logEndOffset, Long.MAX_VALUE);
        log.latestEpochAfterTruncation(lastBatchEpoch);
        log.transactionsChanged(List.of()); // open transactions as replayed; completions above the LEO forgotten
    }

    private static void persistEpochs(PartitionLog log, LeaderEpochCache epochs) {
        try {
            epochs.persist();
        } catch (IOException e) {
            // the cache in memory is right; loading drops entries beyond the log end, flush() writes it again
            log.storageFailures().failed("leader epoch checkpoint", e);
        }
    }
}
