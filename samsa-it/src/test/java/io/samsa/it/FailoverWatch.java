package io.samsa.it;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures failover as the issue defines it: the time from a fault (a {@code kill -9}, SIGSTOP or isolation of a
 * partition's leader) to the next acknowledged {@code acks=all} write to that partition. {@link #arm} once the fault
 * is in effect; acknowledgements the client reads in the first {@link #SETTLE_NANOS} after the fault do not count
 * (responses the broker sent just before it stopped can still sit in the client's socket buffer; no failover is that
 * fast with {@code broker.session.timeout.ms} in seconds). {@link #acked} is the producers'
 * {@link SequencedProducer.AckListener}. Thread-safe; one fault watched at a time.
 */
final class FailoverWatch implements SequencedProducer.AckListener {
    private volatile int partition = -1;
    private volatile long armedNanos;
    private final AtomicLong firstAckNanos = new AtomicLong();

    /** Acknowledgements read this soon after the fault are responses from before it (500 ms). */
    static final long SETTLE_NANOS = 500_000_000L;

    /** Watches {@code partition} for its first acknowledgement after {@code faultNanos} + {@link #SETTLE_NANOS}. */
    void arm(int partition, long faultNanos) {
        this.partition = -1;
        firstAckNanos.set(0);
        armedNanos = Math.max(System.nanoTime(), faultNanos + SETTLE_NANOS);
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

    /** Milliseconds from {@code faultNanos} (when the fault was injected) to the first counted acknowledgement. */
    long millisSince(long faultNanos) {
        return (firstAckNanos.get() - faultNanos) / 1_000_000;
    }
}
