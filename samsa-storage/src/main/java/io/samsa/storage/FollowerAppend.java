package io.samsa.storage;

import io.samsa.storage.producer.CompletedTxn;
import io.samsa.storage.producer.ProducerStateManager;
import io.samsa.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * A follower's append of the batches it copies from its leader ({@link PartitionLog#appendAsFollower}). Validation, as
 * Kafka's
 * {@code analyzeAndValidateRecords} for a replication append: every batch magic v2 with a valid CRC, offsets strictly
 * increasing across the request, no batch larger than {@code segment.bytes}. {@code max.message.bytes} is not
 * enforced (the leader accepted the batch) and nothing is renumbered or recompressed. Incomplete trailing bytes (a
 * fetch response cut inside a batch) are trimmed as Kafka does.
 *
 * <p>Stateless: validation runs on the caller's thread before the log's lock is taken, the write under it.
 */
final class FollowerAppend {
    private FollowerAppend() {
    }

    /**
     * The validated request.
     *
     * @param records     whole batches only
     * @param firstOffset base offset of the first batch
     * @param lastOffset  last offset of the last batch
     * @param recordCount records in all batches (the header counts)
     * @param epochStarts each leader epoch change within the request: the epoch and the base offset of its first batch
     */
    record Validated(MemoryRecords records, long firstOffset, long lastOffset, int recordCount,
                     List<EpochEntry> epochStarts) {
    }

    /**
     * Checks {@code records}.
     *
     * @return null when there is no whole batch (nothing to append)
     * @throws CorruptRecordException       CORRUPT_MESSAGE: a CRC mismatch, a magic other than 2, a batch whose last
     *                                      offset is below its base offset
     * @throws InvalidRecordException       offsets that do not strictly increase within the request (Kafka's
     *                                      {@code OffsetsOutOfOrderException})
     * @throws RecordBatchTooLargeException a batch larger than {@code segment.bytes}
     */
    static Validated validate(TopicPartition tp, MemoryRecords records, LogConfig config) {
        long firstOffset = -1;
        long lastOffset = -1;
        int count = 0;
        int validBytes = 0;
        int previousEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
        List<EpochEntry> epochStarts = null;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new CorruptRecordException("replicated batch of " + tp + " has magic " + batch.magic());
            }
            batch.ensureValid();
            if (batch.lastOffset() < batch.baseOffset()) {
                throw new CorruptRecordException("replicated batch of " + tp + " has offsets " + batch.baseOffset()
                        + ".." + batch.lastOffset());
            }
            if (firstOffset >= 0 && batch.baseOffset() <= lastOffset) {
                throw new InvalidRecordException("out of order offsets in append to " + tp + ": batch at "
                        + batch.baseOffset() + " follows offset " + lastOffset);
            }
            if (batch.sizeInBytes() > config.segmentBytes()) {
                throw new RecordBatchTooLargeException("replicated batch of " + batch.sizeInBytes()
                        + " bytes exceeds segment.bytes " + config.segmentBytes() + " of " + tp);
            }
            if (firstOffset < 0) {
                firstOffset = batch.baseOffset();
            }
            lastOffset = batch.lastOffset();
            Integer batchCount = batch.countOrNull();
            count += batchCount != null ? batchCount : (int) (batch.lastOffset() - batch.baseOffset() + 1);
            validBytes += batch.sizeInBytes();
            int epoch = batch.partitionLeaderEpoch();
            if (epoch >= 0 && epoch != previousEpoch) {
                if (epochStarts == null) {
                    epochStarts = new ArrayList<>(1);
                }
                epochStarts.add(new EpochEntry(epoch, batch.baseOffset()));
                previousEpoch = epoch;
            }
        }
        if (validBytes == 0) {
            return null;
        }
        MemoryRecords whole = records;
        if (validBytes < records.sizeInBytes()) {
            ByteBuffer trimmed = records.buffer().duplicate();
            trimmed.limit(trimmed.position() + validBytes);
            whole = MemoryRecords.readableRecords(trimmed.slice());
        }
        return new Validated(whole, firstOffset, lastOffset, count, epochStarts == null ? List.of() : epochStarts);
    }

    /** See {@link PartitionLog#appendAsFollower}. */
    static LogAppendInfo append(PartitionLog log, MemoryRecords records) {
        LogConfig cfg = log.config();
        TopicPartition tp = log.topicPartition();
        Validated validated = validate(tp, records, cfg);
        if (validated == null) {
            return new LogAppendInfo(-1, -1, -1, log.logStartOffset(), 0, false, false);
        }
        long now = log.time().milliseconds();
        boolean flushNow;
        ReentrantLock lock = log.lock();
        lock.lock();
        try {
            log.ensureOpen();
            long logEnd = log.logEndOffset();
            if (validated.firstOffset() < logEnd) {
                throw new UnexpectedAppendOffsetException("Unexpected offset in append to " + tp + ". First offset "
                        + validated.firstOffset() + " is less than the next offset " + logEnd
                        + ". Last offset in append: " + validated.lastOffset() + ". Log start offset = "
                        + log.logStartOffset(), validated.firstOffset(), validated.lastOffset());
            }
            if (log.storageFailures().isFailing()) {
                log.segmentList().active().repairTail(); // never append after bytes a failed write left
            }
            for (EpochEntry start : validated.epochStarts()) {
                log.epochCache().assign(start.epoch(), start.startOffset()); // only epochs newer than the latest
            }
            log.epochCache().persist(); // before the data: the file never misses an epoch of the log
            appendRuns(log, validated.records(), cfg, now);
            flushNow = log.flusher().countUnflushed(validated.recordCount(), now, cfg);
            log.storageFailures().succeeded();
        } catch (IOException e) {
            log.storageFailures().failed("follower append", e);
            log.dropEpochsFromLogEnd();
            throw new KafkaStorageException("append to " + tp + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        if (flushNow) {
            log.flusher().requestRound();
        }
        return new LogAppendInfo(validated.firstOffset(), validated.lastOffset(), -1, log.logStartOffset(),
                validated.recordCount(), false, flushNow);
    }

    /**
     * Writes numbered batches to the active segment, one channel write per run of batches that fits it, rolling
     * between runs (caller holds the lock). After each run the LEO, producer state and latest epoch move, so a
     * failure in a later run leaves the earlier ones appended.
     */
    private static void appendRuns(PartitionLog log, MemoryRecords records, LogConfig cfg, long now)
            throws IOException {
        long rollMs = cfg.compact() ? Math.min(cfg.segmentMs(), cfg.maxCompactionLagMs()) : cfg.segmentMs();
        int runStart = 0;
        int runEnd = 0;
        LogSegment segment = log.segmentList().active();
        for (MutableRecordBatch batch : records.batches()) {
            int runBytes = runEnd - runStart;
            if (segment.shouldRoll(cfg.segmentBytes(), rollMs, runBytes + batch.sizeInBytes(), batch.lastOffset(),
                    now)) {
                if (runBytes > 0) {
                    writeRun(log, segment, slice(records, runStart, runEnd));
                    runStart = runEnd;
                }
                if (segment.shouldRoll(cfg.segmentBytes(), rollMs, batch.sizeInBytes(), batch.lastOffset(), now)) {
                    segment = log.roll(cfg, now);
                }
            }
            runEnd += batch.sizeInBytes();
        }
        if (runEnd > runStart) {
            writeRun(log, segment, slice(records, runStart, runEnd));
        }
    }

    private static void writeRun(PartitionLog log, LogSegment segment, MemoryRecords run) throws IOException {
        int position = segment.appendReplicated(run);
        long next = log.logEndOffset();
        int epoch = log.latestEpoch();
        ProducerStateManager producers = log.producerState();
        List<CompletedTxn> completed = null;
        boolean transactional = false;
        for (MutableRecordBatch batch : run.batches()) {
            // as from the log: no sequence or epoch checks (Kafka's replication origin)
            Optional<CompletedTxn> closed = producers.replay(batch);
            transactional |= batch.isTransactional();
            if (closed.isPresent()) {
                LogTransactions.index(segment, closed.get());
                if (completed == null) {
                    completed = new ArrayList<>(1);
                }
                completed.add(closed.get());
            }
            next = batch.nextOffset();
            if (batch.partitionLeaderEpoch() != RecordBatch.NO_PARTITION_LEADER_EPOCH) {
                epoch = batch.partitionLeaderEpoch();
            }
        }
        if (transactional) {
            log.transactionsChanged(completed == null ? List.of() : completed); // before the LEO, as for a leader
        }
        log.appended(new LogOffsetMetadata(next, segment.baseOffset(), position + run.sizeInBytes()), epoch);
    }

    /** The records of {@code records} between byte {@code from} and {@code to} (batch boundaries), without copying. */
    static MemoryRecords slice(MemoryRecords records, int from, int to) {
        if (from == 0 && to == records.sizeInBytes()) {
            return records;
        }
        ByteBuffer view = records.buffer().duplicate();
        int start = view.position() + from;
        view.limit(start + (to - from)).position(start);
        return MemoryRecords.readableRecords(view.slice());
    }
}
