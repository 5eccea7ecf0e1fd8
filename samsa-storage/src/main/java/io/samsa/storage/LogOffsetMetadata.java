package io.samsa.storage;

/**
 * An offset with where it sits on disk: the base offset of its segment and the byte position, in that segment's
 * {@code .log}, of the batch boundary it denotes (Kafka's {@code LogOffsetMetadata}). Used to bound reads by the log
 * end offset or the high watermark without a lookup.
 *
 * @param offset             the offset
 * @param segmentBaseOffset  base offset of the segment holding the boundary
 * @param relativePosition   byte position of the boundary in that segment's {@code .log}
 */
record LogOffsetMetadata(long offset, long segmentBaseOffset, int relativePosition) {
}
