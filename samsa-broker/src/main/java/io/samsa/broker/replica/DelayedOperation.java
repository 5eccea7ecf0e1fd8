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

    /** The node id of the follower that sent this fetch, or -1 when it is not a follower's (a consumer's). */
    default int replicaId() {
        return -1;
    }
}
