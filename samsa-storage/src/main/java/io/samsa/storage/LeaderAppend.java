package io.samsa.storage;

import io.samsa.storage.producer.BatchMetadata;
import io.samsa.storage.producer.CompletedTxn;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.txn.VerificationGuard;
import io.samsa.storage.validation.BatchValidator;
import io.samsa.storage.validation.Recompressor;
import io.samsa.storage.validation.ValidatedBatch;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * A leader's append of one produce batch ({@link PartitionLog#appendAsLeader}, Kafka's {@code appendAsLeader}): the
 * batch is recompressed to the topic's {@code compression.type} when that is not {@code producer} and validated
 * ({@link BatchValidator}) on the caller's thread; then, under the log's lock, the producer checks
 * ({@link LogTransactions}: an idempotent duplicate returns the original offsets), offset assignment in place, the
 * leader epoch cache (written before the data), a roll when due, the write, producer state, the last stable offset's
 * inputs and the new LEO. A failed write leaves the segment as it was (ADR 0006) and drops the epochs assigned for it.
 *
 * <p>Stateless: works on the log it is given, taking that log's lock.
 */
final class LeaderAppend {
    private LeaderAppend() {
    }

    /** See {@link PartitionLog#appendAsLeader(MemoryRecords, int, AppendOrigin, VerificationGuard)}. */
    static LogAppendInfo append(PartitionLog log, MemoryRecords records, int leaderEpoch, AppendOrigin origin,
                                VerificationGuard guard) {
        LogConfig cfg = log.config();
        long now = log.time().milliseconds();
        // A topic compression.type other than "producer" rewrites the batch in that codec first (Kafka's LogValidator).
        records = Recompressor.toTopicCompression(records, cfg.compressionType());
        ValidatedBatch validated = BatchValidator.validate(records, cfg, now, origin == AppendOrigin.COORDINATOR);
        MutableRecordBatch batch = validated.batch();
        EndTransactionMarker marker = LogTransactions.markerOf(batch);
        boolean flushNow;
        LogAppendInfo info;
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            Optional<BatchMetadata> duplicate = LogTransactions.check(log.producerState(), batch, marker, origin,
                    guard);
            if (duplicate.isPresent()) {
                return duplicateOf(log, duplicate.get(), cfg);
            }
            if (log.storageFailures().isFailing()) {
                // a failed write may have left bytes it could not remove yet: never append after them
                log.segmentList().active().repairTail();
            }
            long firstOffset = log.logEndOffset();
            long lastOffset = firstOffset + validated.count() - 1;
            long maxTimestamp = BatchValidator.assignOffsets(validated, firstOffset, leaderEpoch, cfg.timestampType(),
                    now);
            if (leaderEpoch >= 0) {
                log.epochCache().assign(leaderEpoch, firstOffset);
            }
            // before the data: the file never misses an epoch of the log, nor holds one cut at the load after it
            log.epochCache().persist();
            LogSegment segment = log.segmentList().active();
            // compacted logs also roll by max.compaction.lag.ms, so that old records leave the active segment
            long rollMs = cfg.compact() ? Math.min(cfg.segmentMs(), cfg.maxCompactionLagMs()) : cfg.segmentMs();
            if (segment.shouldRoll(cfg.segmentBytes(), rollMs, records.sizeInBytes(), lastOffset, now)) {
                segment = log.roll(cfg, now);
            }
            int position = segment.append(lastOffset, maxTimestamp, records);
            Optional<CompletedTxn> completed = LogTransactions.appended(log.producerState(), segment, batch, marker,
                    firstOffset, lastOffset, maxTimestamp);
            if (batch.isTransactional()) {
                // published before the LEO: no replica can fetch an open transaction's batch before the LSO holds it
                log.transactionsChanged(completed.map(List::of).orElse(List.of()));
            }
            log.appended(new LogOffsetMetadata(lastOffset + 1, segment.baseOffset(),
                    position + records.sizeInBytes()), leaderEpoch);
            flushNow = log.flusher().countUnflushed(validated.count(), now, cfg);
            long appendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME ? now : -1;
            info = new LogAppendInfo(firstOffset, lastOffset, appendTime, log.logStartOffset(), validated.count(),
                    false, flushNow);
            log.storageFailures().succeeded();
        } catch (IOException e) {
            // the segment is as it was before this append (LogSegment.append removed any partial bytes)
            log.storageFailures().failed("append", e);
            log.dropEpochsFromLogEnd();
            throw new KafkaStorageException("append to " + log.topicPartition() + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        if (flushNow) {
            log.flusher().requestRound();
        }
        return info;
    }

    /**
     * The result of an idempotent retry of a batch already in the log (caller holds the lock): its original offsets;
     * with {@code flush.messages=1} it waits for an fsync while the original is not on disk yet.
     */
    private static LogAppendInfo duplicateOf(PartitionLog log, BatchMetadata original, LogConfig cfg) {
        long appendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME ? original.timestamp() : -1;
        boolean awaitFlush = cfg.flushMessages() == 1 && original.lastOffset() >= log.recoveryPoint();
        return new LogAppendInfo(original.firstOffset(), original.lastOffset(), appendTime, log.logStartOffset(), 0,
                true, awaitFlush);
    }
}
