package io.samsa.broker.handlers;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The broker's incremental fetch sessions (KIP-227), at most {@code max.incremental.fetch.session.cache.slots}
 * (Kafka's default 1,000; 0 turns sessions off: every fetch is then answered as a full, sessionless one).
 *
 * <p>When the cache is full, a new session takes the slot of the least recently used session that has been idle for
 * {@link #EVICTION_MIN_IDLE_MS} or longer (Kafka's {@code min.incremental.fetch.session.eviction.ms}); a follower's
 * new session may also take a consumer's, whatever its age (Kafka's privileged sessions). Without such a slot the
 * fetch is answered without a session (session id 0) and the client goes on with full fetches.
 *
 * <p>Thread-safe (one lock); sessions are looked up by the I/O threads of the fetch requests that name them.
 */
public final class FetchSessionCache {
    /** Kafka's {@code min.incremental.fetch.session.eviction.ms} default. */
    static final long EVICTION_MIN_IDLE_MS = 120_000;

    private final int maxSlots;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private long evictions;

    /** A cache of at most {@code maxSlots} sessions ({@code max.incremental.fetch.session.cache.slots}). */
    public FetchSessionCache(int maxSlots) {
        this.maxSlots = maxSlots;
    }

    /** The session with this id, marked used at {@code nowMs}. */
    synchronized Optional<FetchSession> get(int sessionId, long nowMs) {
        FetchSession session = sessions.get(sessionId);
        if (session != null) {
            session.lastUsedMs = nowMs;
        }
        return Optional.ofNullable(session);
    }

    /** Closes a session (a full fetch naming it, or the final epoch); unknown ids are ignored. */
    synchronized void remove(int sessionId) {
        sessions.remove(sessionId);
    }

    /** A new empty session, or empty when no slot is free (see the class comment). */
    synchronized Optional<FetchSession> create(boolean follower, boolean byTopicId, long nowMs) {
        if (maxSlots <= 0 || (sessions.size() >= maxSlots && !evictFor(follower, nowMs))) {
            return Optional.empty();
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, follower, byTopicId, nowMs);
        sessions.put(id, session);
        return Optional.of(session);
    }

    /** Sessions cached (Kafka's {@code NumIncrementalFetchSessions}). */
    public synchronized int size() {
        return sessions.size();
    }

    /** Partitions over all cached sessions (Kafka's {@code NumIncrementalFetchPartitionsCached}). */
    public synchronized int cachedPartitions() {
        int n = 0;
        for (FetchSession s : sessions.values()) {
            n += s.size();
        }
        return n;
    }

    /** Sessions evicted to make room for new ones so far (Kafka's {@code IncrementalFetchSessionEvictionsPerSec}). */
    public synchronized long evictions() {
        return evictions;
    }

    private boolean evictFor(boolean follower, long nowMs) {
        FetchSession victim = null;
        for (FetchSession s : sessions.values()) {
            boolean evictable = nowMs - s.lastUsedMs >= EVICTION_MIN_IDLE_MS || (follower && !s.follower());
            if (evictable && (victim == null || s.lastUsedMs < victim.lastUsedMs)) {
                victim = s;
            }
        }
        if (victim == null) {
            return false;
        }
        sessions.remove(victim.id());
        evictions++;
        return true;
    }
}
