package io.samsa.broker.replica;

/**
 * A follower's replication progress as its leader sees it (Kafka's {@code Replica}): its log end offset (the offset of
 * its last fetch; -1 until it fetched under this leader) and the last time it had everything the leader had, which
 * decides whether it stays in the ISR ({@code replica.lag.time.max.ms}). Times in ms. Thread-safe.
 */
final class FollowerState {
    private long logEndOffset = -1;
    private long lastCaughtUpTimeMs;
    private long lastFetchTimeMs;
    private long lastFetchLeaderLogEndOffset;

    FollowerState(long lastCaughtUpTimeMs) {
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    synchronized void update(long fetchOffset, long leaderEndOffset, long fetchTimeMs) {
        if (fetchOffset >= leaderEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, fetchTimeMs);
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        lastFetchLeaderLogEndOffset = leaderEndOffset;
        lastFetchTimeMs = fetchTimeMs;
    }

    synchronized long logEndOffset() {
        return logEndOffset;
    }

    synchronized long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }
}
