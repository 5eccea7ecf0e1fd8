package io.samsa.storage.index;

/**
 * An offset index entry.
 *
 * @param offset   absolute offset (the last offset of the indexed batch)
 * @param position byte position in the segment's {@code .log} of the start of that batch
 */
public record OffsetPosition(long offset, int position) {
}
