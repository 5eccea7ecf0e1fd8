package io.samsa.it;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures failover as the issue defines it: the time from a fault (a {@code kill -9}, SIGSTOP or isolation of a
 * partition's leader) to the next acknowledged {@code acks=all} write to that partition. {@link #arm} once the fault
 * is in effect (the process is dead, stopped or cut off, so no acknowledgement from before it can still arrive);
 * {@link #acked} is the producers' {@link SequencedProducer.AckListener}. Thread-safe; one fault watched at a time.
 */
final class FailoverWatch implements SequencedProducer.AckListener {
    private volatile int partition = -1;
    private volatile long armedNanos;
    private final AtomicLong firstAckNanos = new AtomicLong();

    /** Watches {@code partition} for its first acknowledgement from now on. */
    void arm(int partition) {
        this.partition = -1;
        firstAckNanos.set(0);
        armedNanos = System.nanoTime();
        this.partition = partition;
    }

    @Override
    public void acked(int partition, long nanos) {
        if (partition == this.partition && nanos - armedNanos > 0) {
            firstAckNanos.compareAndSet(0, nanos);
        }
    }

    boolean acknowledged() {
        return firstAckNanos.get() != 0;
    }

    /** Milliseconds from {@code faultNanos} (when the fault was injected) to the first acknowledgement after arming. */
    long millisSince(long faultNanos) {
        return (firstAckNanos.get() - faultNanos) / 1_000_000;
    }
}
