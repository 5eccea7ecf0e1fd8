package io.samsa.storage.cleaner;

/** Thrown inside a cleaning when its log was deleted or paused meanwhile; the cleaning's output is discarded. */
public final class CleaningAbortedException extends RuntimeException {
    public CleaningAbortedException() {
        super("cleaning aborted", null, false, false);
    }
}
