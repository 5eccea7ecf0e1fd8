package io.samsa.storage;

import io.samsa.storage.index.TimestampOffset;
import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import java.util.Iterator;
import java.util.Optional;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * ListOffsets semantics over a log's segments (Kafka's {@code UnifiedLog.fetchOffsetByTimestamp}). One instance per
 * lookup, over a snapshot of the log's offsets; safe to run concurrently with appends.
 */
final class TimestampLookup {
    static final long LATEST = -1L;
    static final long EARLIEST = -2L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL = -4L;

    private final LogSegments segments;
    private final long logStartOffset;
    private final long logEndOffset;
    private final long highWatermark;
    private final int latestEpoch;

    TimestampLookup(LogSegments segments, long logStartOffset, long logEndOffset, long highWatermark,
                    int latestEpoch) {
        this.segments = segments;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
        this.highWatermark = highWatermark;
        this.latestEpoch = latestEpoch;
    }

    Optional<TimestampAndOffset> lookup(long timestamp) {
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, logStartOffset, epochAtLogStart()));
        }
        if (timestamp == LATEST) {
            return Optional.of(new TimestampAndOffset(RecordBatch.NO_TIMESTAMP, highWatermark, epoch(latestEpoch)));
        }
        if (timestamp == MAX_TIMESTAMP) {
            return maxTimestamp();
        }
        if (timestamp < 0) {
            return Optional.empty();
        }
        for (LogSegment segment : segments.all()) {
            if (segment.maxTimestampSoFar() >= timestamp) {
                return segment.findOffsetByTimestamp(timestamp, logStartOffset)
                        .filter(found -> found.offset < logEndOffset);
            }
        }
        return Optional.empty();
    }

    private Optional<Integer> epochAtLogStart() {
        if (logStartOffset >= logEndOffset) {
            return epoch(latestEpoch);
        }
        return segments.floor(logStartOffset).flatMap(segment -> {
            FileRecords.LogOffsetPosition position = segment.translateOffset(logStartOffset);
            if (position == null) {
                return Optional.empty();
            }
            Iterator<FileChannelRecordBatch> batches = segment.log().batchesFrom(position.position).iterator();
            return batches.hasNext() ? epoch(batches.next().partitionLeaderEpoch()) : Optional.empty();
        });
    }

    private Optional<TimestampAndOffset> maxTimestamp() {
        LogSegment best = null;
        for (LogSegment segment : segments.all()) {
            if (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar()) {
                best = segment;
            }
        }
        if (best == null || best.maxTimestampSoFar() < 0) {
            return Optional.empty();
        }
        TimestampOffset max = best.maxTimestampAndOffsetSoFar();
        int position = best.offsetIndex().lookup(max.offset()).position();
        for (FileChannelRecordBatch batch : best.log().batchesFrom(position)) {
            if (batch.maxTimestamp() == max.timestamp()) {
                Optional<Long> offset = batch.offsetOfMaxTimestamp();
                if (offset.isPresent()) {
                    return Optional.of(new TimestampAndOffset(batch.maxTimestamp(), offset.get(),
                            epoch(batch.partitionLeaderEpoch())));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> epoch(int epoch) {
        return epoch >= 0 ? Optional.of(epoch) : Optional.empty();
    }
}
