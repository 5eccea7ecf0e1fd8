package io.samsa.storage.txn;

import java.util.ArrayList;
import java.util.List;

/**
 * What holds a partition's last stable offset (KIP-98) back, as an immutable value the log publishes after each change
 * so that fetches read it without a lock: the first offset of the oldest open transaction, and the transactions
 * completed by a marker not yet below the high watermark (Kafka's {@code unreplicatedTxns}: a consumer must not read
 * past a transaction's data before its marker is replicated, or a leader change could lose the marker).
 *
 * @param firstOngoing first offset of the oldest open transaction, -1 when none is open
 * @param pending      completed transactions whose marker may still be at or above the high watermark, by first offset
 */
public record UnstableOffsets(long firstOngoing, List<Pending> pending) {
    /** No transaction in flight. */
    public static final UnstableOffsets NONE = new UnstableOffsets(-1, List.of());

    /**
     * One completed transaction.
     *
     * @param firstOffset its first offset
     * @param lastOffset  its marker's offset
     */
    public record Pending(long firstOffset, long lastOffset) {
    }

    public UnstableOffsets {
        pending = List.copyOf(pending);
    }

    /** The first unstable offset given high watermark {@code highWatermark}, or {@code Long.MAX_VALUE} when none. */
    public long firstUnstable(long highWatermark) {
        long first = firstOngoing >= 0 ? firstOngoing : Long.MAX_VALUE;
        for (Pending p : pending) {
            if (p.lastOffset() >= highWatermark) {
                first = Math.min(first, p.firstOffset());
            }
        }
        return first;
    }

    /**
     * The next value: {@code firstOngoing} now, the pending transactions whose marker is still at or above
     * {@code highWatermark} and below {@code logEndOffset}, plus {@code completed}.
     */
    public UnstableOffsets next(long newFirstOngoing, long highWatermark, long logEndOffset, List<Pending> completed) {
        if (newFirstOngoing == firstOngoing && completed.isEmpty() && allPending(highWatermark, logEndOffset)) {
            return this; // the usual case for a transaction's next batch: no allocation
        }
        List<Pending> next = new ArrayList<>(pending.size() + completed.size());
        for (Pending p : pending) {
            if (p.lastOffset() >= highWatermark && p.lastOffset() < logEndOffset) {
                next.add(p);
            }
        }
        for (Pending p : completed) {
            if (p.lastOffset() >= highWatermark) {
                next.add(p);
            }
        }
        return newFirstOngoing < 0 && next.isEmpty() ? NONE : new UnstableOffsets(newFirstOngoing, next);
    }

    private boolean allPending(long highWatermark, long logEndOffset) {
        for (Pending p : pending) {
            if (p.lastOffset() < highWatermark || p.lastOffset() >= logEndOffset) {
                return false;
            }
        }
        return true;
    }
}
