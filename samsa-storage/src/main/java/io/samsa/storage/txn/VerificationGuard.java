package io.samsa.storage.txn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Proof that a partition leader verified a producer's transaction with its coordinator before appending the
 * producer's first transactional batch here (Kafka's {@code VerificationGuard}, KIP-890 part 1). The log creates one
 * when verification starts ({@code PartitionLog.startTransactionVerification}) and forgets it when a COMMIT/ABORT
 * marker of the producer is appended or the producer's transaction opens; an append that carries a guard the log no
 * longer holds is refused with INVALID_TXN_STATE. That closes the window in which a produce request, verified and then
 * delayed, would land after the transaction's marker and open a transaction no coordinator knows (a hanging
 * transaction holding the last stable offset back).
 *
 * <p>Compared by identity. Immutable and thread-safe.
 */
public final class VerificationGuard {
    private static final AtomicLong IDS = new AtomicLong(); // before SENTINEL: static fields start in this order
    /** No verification was started for the append (the partition had the transaction open when checked). */
    public static final VerificationGuard SENTINEL = new VerificationGuard(-1, (short) -1);

    private final long id;
    private final long producerId;
    private final short producerEpoch;

    private VerificationGuard(long producerId, short producerEpoch) {
        this.id = IDS.incrementAndGet();
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
    }

    /** A new guard for producer {@code producerId} at {@code producerEpoch}. */
    public static VerificationGuard of(long producerId, short producerEpoch) {
        return new VerificationGuard(producerId, producerEpoch);
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    @Override
    public String toString() {
        return this == SENTINEL ? "VerificationGuard(SENTINEL)"
                : "VerificationGuard(" + id + ", producerId=" + producerId + ", epoch=" + producerEpoch + ")";
    }
}
