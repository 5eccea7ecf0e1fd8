package io.samsa.broker.replica;

import io.samsa.metadata.IsrMember;

/**
 * A follower's replication progress as its leader sees it (Kafka's {@code Replica}): its log end offset (the offset of
 * its last fetch; -1 until it fetched under this leader), the broker epoch that fetch named (KIP-903; -1 when none),
 * and the last time it had everything the leader had, which decides whether it stays in the ISR
 * ({@code replica.lag.time.max.ms}). Times in ms. Thread-safe.
 */
final class FollowerState {
    private long logEndOffset = -1;
    private long brokerEpoch = IsrMember.UNKNOWN_EPOCH;
    private long lastCaughtUpTimeMs;
    private long lastFetchTimeMs;
    private long lastFetchLeaderLogEndOffset;

    FollowerState(long lastCaughtUpTimeMs) {
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    /**
     * Records a fetch at {@code fetchOffset} made under {@code fetchBrokerEpoch} (-1 when the fetch named none).
     *
     * @return false, recording nothing, when the fetch names an earlier broker epoch than one already recorded: it
     *         was sent by an earlier incarnation of the broker, and the log it describes may be gone
     */
    synchronized boolean update(long fetchOffset, long fetchBrokerEpoch, long leaderEndOffset, long fetchTimeMs) {
        if (fetchBrokerEpoch != IsrMember.UNKNOWN_EPOCH && fetchBrokerEpoch < brokerEpoch) {
            return false;
        }
        if (fetchOffset >= leaderEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, fetchTimeMs);
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        brokerEpoch = fetchBrokerEpoch;
        lastFetchLeaderLogEndOffset = leaderEndOffset;
        lastFetchTimeMs = fetchTimeMs;
        return true;
    }

    synchronized long logEndOffset() {
        return logEndOffset;
    }

    /** The broker epoch the last recorded fetch named, -1 when it named none. */
    synchronized long brokerEpoch() {
        return brokerEpoch;
    }

    synchronized long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }
}
