package io.samsa.broker.handlers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * One incremental fetch session (KIP-227): the partitions a client fetches, in the order they are read, each with what
 * the client last asked (fetch offset, partition max bytes, current leader epoch) and what it was last told (high
 * watermark, last stable offset, log start offset). A full fetch fills it and is answered with its id; each incremental
 * fetch then carries only the partitions whose request changed and those to forget, and is answered with only the
 * partitions that have records, an error, a preferred read replica or a changed offset. Partitions that returned
 * records move to the end of the order, so that a response full to its max bytes does not starve the ones after them
 * (Kafka's {@code FetchSession}).
 *
 * <p>Thread-safety: the mutable state is guarded by this object's monitor; a client has one fetch in flight at a time,
 * so contention is only with the cache's eviction.
 */
final class FetchSession {
    /** What a response has not told the client yet: forces the partition into the next response. */
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final int id;
    private final boolean follower;
    private final boolean byTopicId;
    /** Read and written under the cache's lock. */
    long lastUsedMs;
    private int epoch = FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH);
    private final Map<Key, Entry> partitions = new LinkedHashMap<>();

    /** A partition of the session: its topic id (v13+ sessions) or name, and its index. */
    record Key(Object topic, int partition) {
    }

    /**
     * A partition as a request names it.
     *
     * @param topicId            the topic id (zero before v13)
     * @param topic              the topic name (null or empty from v13)
     * @param fetchOffset        offset to read from
     * @param maxBytes           the partition's max bytes
     * @param currentLeaderEpoch KIP-320's current leader epoch, -1 for none
     */
    record Wanted(Uuid topicId, String topic, int partition, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
    }

    private static final class Entry {
        Wanted wanted;
        long highWatermark = UNKNOWN;
        long lastStableOffset = UNKNOWN;
        long logStartOffset = UNKNOWN;

        Entry(Wanted wanted) {
            this.wanted = wanted;
        }
    }

    FetchSession(int id, boolean follower, boolean byTopicId, long nowMs) {
        this.id = id;
        this.follower = follower;
        this.byTopicId = byTopicId;
        this.lastUsedMs = nowMs;
    }

    int id() {
        return id;
    }

    boolean follower() {
        return follower;
    }

    /** True when the session was made by a v13+ fetch (partitions by topic id); a fetch must use it the same way. */
    boolean byTopicId() {
        return byTopicId;
    }

    Key key(Uuid topicId, String topic, int partition) {
        return new Key(byTopicId ? topicId : topic, partition);
    }

    /** Fills a new session with a full fetch's partitions. */
    synchronized void fill(Collection<Wanted> wanted) {
        for (Wanted w : wanted) {
            partitions.put(key(w.topicId(), w.topic(), w.partition()), new Entry(w));
        }
    }

    /**
     * Applies an incremental fetch at {@code requestEpoch}: the partitions it names are added or updated, the forgotten
     * ones removed, and the epoch moves on.
     *
     * @return every partition of the session in read order, or empty when {@code requestEpoch} is not the session's
     *         next epoch (INVALID_FETCH_SESSION_EPOCH)
     */
    synchronized Optional<List<Wanted>> apply(int requestEpoch, Collection<Wanted> updates, Collection<Key> forgotten) {
        if (requestEpoch != epoch) {
            return Optional.empty();
        }
        for (Key k : forgotten) {
            partitions.remove(k);
        }
        for (Wanted w : updates) {
            Key k = key(w.topicId(), w.topic(), w.partition());
            Entry e = partitions.get(k);
            if (e == null) {
                partitions.put(k, new Entry(w));
            } else {
                e.wanted = w;
            }
        }
        epoch = FetchMetadata.nextEpoch(epoch);
        List<Wanted> all = new ArrayList<>(partitions.size());
        for (Entry e : partitions.values()) {
            all.add(e.wanted);
        }
        return Optional.of(all);
    }

    /**
     * Records what a response tells the client about a partition and says whether an incremental response must carry
     * it: records, an error, a preferred read replica, or a high watermark, last stable offset or log start offset
     * other than the last one sent (Kafka's {@code CachedPartition.maybeUpdateResponseData}). After an error the
     * partition is sent again once it clears.
     */
    synchronized boolean mustRespond(Key key, Errors error, long highWatermark, long lastStableOffset,
                                     long logStartOffset, int preferredReadReplica, int recordBytes) {
        Entry e = partitions.get(key);
        if (e == null) {
            return true;
        }
        if (error != Errors.NONE) {
            e.highWatermark = UNKNOWN;
            return true;
        }
        boolean must = recordBytes > 0 || preferredReadReplica >= 0;
        if (e.highWatermark != highWatermark) {
            e.highWatermark = highWatermark;
            must = true;
        }
        if (e.lastStableOffset != lastStableOffset) {
            e.lastStableOffset = lastStableOffset;
            must = true;
        }
        if (e.logStartOffset != logStartOffset) {
            e.logStartOffset = logStartOffset;
            must = true;
        }
        return must;
    }

    /** Moves partitions that returned records behind the others, for the next read order. */
    synchronized void moveToEnd(List<Key> keys) {
        for (Key k : keys) {
            Entry e = partitions.remove(k);
            if (e != null) {
                partitions.put(k, e);
            }
        }
    }

    synchronized int size() {
        return partitions.size();
    }

    @Override
    public String toString() {
        return "FetchSession(id=" + id + ", follower=" + follower + ")";
    }
}
