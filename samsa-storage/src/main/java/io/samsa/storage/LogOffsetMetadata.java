package io.samsa.storage;

/**
 * An offset with where it sits on disk: the base offset of its segment and the byte position, in that segment's
 * {@code .log}, of the batch boundary it denotes (Kafka's {@code LogOffsetMetadata}). Used to bound reads by the log
 * end offset or the high watermark without a lookup. A high watermark may be known by its offset only
 * ({@link #offsetOnly}): its position is looked up when a read first needs it (Kafka's
 * {@code fetchHighWatermarkMetadata}).
 *
 * @param offset             the offset
 * @param segmentBaseOffset  base offset of the segment holding the boundary, -1 when not looked up yet
 * @param relativePosition   byte position of the boundary in that segment's {@code .log}, -1 when not looked up yet
 */
record LogOffsetMetadata(long offset, long segmentBaseOffset, int relativePosition) {
    /** An offset whose position has not been looked up. */
    static LogOffsetMetadata offsetOnly(long offset) {
        return new LogOffsetMetadata(offset, -1, -1);
    }

    /** True when the segment and position are known. */
    boolean positioned() {
        return segmentBaseOffset >= 0;
    }
}
