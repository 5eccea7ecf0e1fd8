package io.samsa.broker.replica;

/**
 * A request parked until a condition holds or its timeout passes (Kafka's {@code DelayedOperation}). Implementations
 * complete at most once, whichever of {@link #tryComplete()} and {@link #forceComplete()} wins.
 */
public interface DelayedOperation {

    /** Completes the operation if its condition now holds; returns true if this call completed it. */
    boolean tryComplete();

    /** Completes the operation with whatever is available (timeout, or a watched partition went away). */
    void forceComplete();

    boolean isCompleted();
}
