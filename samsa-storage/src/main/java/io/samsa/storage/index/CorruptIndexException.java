package io.samsa.storage.index;

/** An index file failed its sanity check; the segment's indexes must be rebuilt from the log. */
public final class CorruptIndexException extends RuntimeException {
    public CorruptIndexException(String message) {
        super(message);
    }
}
