package io.samsa.storage;

import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segment deletion of one {@link PartitionLog}: retention (Kafka's {@code deleteOldSegments}) and DeleteRecords
 * (Kafka's {@code maybeIncrementLogStartOffset} for a client deletion). Which segments qualify is
 * {@link RetentionPolicy}'s; this class takes them out of the segment list under the log's lock, moves the log start
 * offset and hands the segments to the {@link SegmentDeleter} ({@code .deleted}, removed after
 * {@code file.delete.delay.ms}).
 *
 * <p>Stateless: every method works on the log it is given, under that log's lock.
 */
final class LogRetention {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogRetention.class);

    private LogRetention() {
    }

    /** See {@link PartitionLog#deleteOldSegments()}. */
    static int deleteOldSegments(PartitionLog log) {
        LogConfig cfg = log.config();
        long now = log.time().milliseconds();
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            if (log.isClosed()) {
                return 0;
            }
            int deleted = deleteSegments(log, RetentionPolicy.belowLogStartOffset(log.logStartOffset()),
                    "log start offset");
            if (cfg.delete()) {
                deleted += deleteSegments(log, RetentionPolicy.sizeBreached(cfg.retentionBytes(),
                        RetentionPolicy.size(List.copyOf(log.segmentList().all()))), "retention.bytes");
                deleted += deleteSegments(log, RetentionPolicy.timeBreached(cfg.retentionMs(), now), "retention.ms");
            }
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link PartitionLog#deleteRecordsBefore(long)}. */
    static long deleteRecordsBefore(PartitionLog log, long offset) {
        if (!log.config().delete()) {
            throw new PolicyViolationException("Records of partition " + log.topicPartition()
                    + " can not be deleted due to the configured policy");
        }
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            long hw = log.highWatermark();
            long target = offset == -1 ? hw : offset;
            if (target < 0 || target > hw) {
                throw new OffsetOutOfRangeException("Cannot increment the log start offset to " + target
                        + " of partition " + log.topicPartition() + " since it is larger than the high watermark "
                        + hw);
            }
            if (target > log.logStartOffset()) {
                LOGGER.info("Incrementing log start offset topicPartition={} from={} to={} reason=DeleteRecords",
                        log.topicPartition(), log.logStartOffset(), target);
                log.advanceLogStartOffset(target);
            }
            deleteSegments(log, RetentionPolicy.belowLogStartOffset(log.logStartOffset()), "log start offset");
            return log.logStartOffset();
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the prefix of segments matching {@code predicate} (caller holds the lock). */
    private static int deleteSegments(PartitionLog log, RetentionPolicy.SegmentPredicate predicate, String reason) {
        LogSegments segments = log.segmentList();
        List<LogSegment> all = List.copyOf(segments.all());
        List<LogSegment> doomed = RetentionPolicy.deletable(all, log.logEndOffset(), log.highWatermark(), predicate);
        if (doomed.isEmpty()) {
            return 0;
        }
        try {
            long now = log.time().milliseconds();
            if (doomed.size() == all.size()) {
                log.roll(log.config(), now); // a log keeps one segment: the new, empty active one
            }
            log.advanceLogStartOffset(segments.higher(doomed.getLast().baseOffset()).orElseThrow().baseOffset());
            for (LogSegment segment : doomed) {
                segments.remove(segment.baseOffset());
            }
            for (LogSegment segment : doomed) {
                log.retire(segment, now);
            }
            LOGGER.info("Deleted segments topicPartition={} reason={} count={} firstBase={} logStartOffset={}",
                    log.topicPartition(), reason, doomed.size(), doomed.getFirst().baseOffset(),
                    log.logStartOffset());
            return doomed.size();
        } catch (IOException e) {
            throw new KafkaStorageException("deleting segments of " + log.topicPartition() + " failed", e);
        }
    }
}
