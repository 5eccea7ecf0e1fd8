package io.samsa.storage;

import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.LogSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * The lock-free read side of a {@link PartitionLog}: fetches bounded by an offset's byte position (HW or LEO), and
 * the translation of an offset to its {@link LogOffsetMetadata}. Works on a snapshot of the log's published
 * positions, so it only ever sees whole, already appended batches.
 *
 * <p>Stateless.
 */
final class LogReader {
    private LogReader() {
    }

    /** See {@link PartitionLog#read}; {@code end} and {@code hw} are the log's published LEO and HW. */
    static FetchDataInfo read(TopicPartition tp, LogSegments segments, long logStartOffset, LogOffsetMetadata end,
                              LogOffsetMetadata hw, long fetchOffset, int maxBytes, long maxOffset,
                              boolean minOneMessage) {
        if (fetchOffset < logStartOffset || fetchOffset > end.offset()) {
            throw new OffsetOutOfRangeException("offset " + fetchOffset + " is outside [" + logStartOffset + ", "
                    + end.offset() + "] of " + tp);
        }
        if (fetchOffset == end.offset() || fetchOffset >= maxOffset) {
            return new FetchDataInfo(fetchOffset, MemoryRecords.EMPTY);
        }
        LogOffsetMetadata bound = maxOffset >= end.offset() ? end : positionOf(segments, end, hw, maxOffset);
        try {
            Optional<LogSegment> candidate = segments.floor(fetchOffset);
            while (candidate.isPresent()) {
                LogSegment segment = candidate.get();
                if (segment.baseOffset() > bound.segmentBaseOffset()) {
                    break;
                }
                int maxPosition = segment.baseOffset() == bound.segmentBaseOffset()
                        ? bound.relativePosition() : segment.size();
                Records records = segment.read(fetchOffset, maxBytes, maxPosition, minOneMessage);
                if (records != null) {
                    return new FetchDataInfo(fetchOffset, records);
                }
                candidate = segments.higher(segment.baseOffset());
            }
            return new FetchDataInfo(fetchOffset, MemoryRecords.EMPTY);
        } catch (IOException | UncheckedIOException e) {
            throw new KafkaStorageException("read from " + tp + " failed", e);
        }
    }

    /** Where {@code offset} (at most the LEO) sits: the start of the batch holding it, or the LEO position. */
    static LogOffsetMetadata positionOf(LogSegments segments, LogOffsetMetadata end, LogOffsetMetadata hw,
                                        long offset) {
        if (offset >= end.offset()) {
            return end;
        }
        if (hw.offset() == offset && hw.positioned()) {
            return hw;
        }
        for (LogSegment segment : segments.range(offset, Long.MAX_VALUE)) {
            FileRecords.LogOffsetPosition position = segment.translateOffset(offset);
            if (position != null) {
                return new LogOffsetMetadata(offset, segment.baseOffset(), position.position);
            }
        }
        return end;
    }
}
