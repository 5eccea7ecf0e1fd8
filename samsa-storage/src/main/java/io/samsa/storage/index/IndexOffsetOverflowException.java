package io.samsa.storage.index;

/** Thrown when an offset does not fit the 4-byte relative form of a segment's index (the segment must roll). */
public final class IndexOffsetOverflowException extends RuntimeException {
    public IndexOffsetOverflowException(String message) {
        super(message);
    }
}
