package io.samsa.broker.replica;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Gets the followers of a partition this broker just started leading to their first fetch of it at once, instead of
 * after the long poll they may be parked in ({@code replica.fetch.wait.max.ms}, 500 ms by default). A follower's
 * fetcher sends one request at a time to a leader broker; a partition it starts following while a fetch for its other
 * partitions is parked here joins only the next request. Until it does, {@code acks=all} writes to the new leadership
 * wait: the first write to a new topic, and the first after a failover or any leadership move.
 *
 * <p>When a leadership begins ({@link #began}), the parked fetches of its followers are answered now, and until each
 * follower's fetch names the partition ({@link #fetched}), for at most {@link #WINDOW_MS}, its fetches park at most
 * {@link #SHORT_WAIT_MS}: a follower that answers before it applied the same metadata comes back soon after, with the
 * partition. Kafka's followers wait out the long poll. A fetch parking at the very moment a leadership begins is
 * answered by its handler when {@link #begun} moved meanwhile.
 *
 * <p>Thread-safe.
 */
final class NewLeaderships {
    /** The longest a follower's fetches park briefly after a leadership it is to follow began, in ms. */
    static final long WINDOW_MS = 2_000;
    /** The longest such a fetch parks, in ms. */
    static final int SHORT_WAIT_MS = 10;

    /** The new leaderships a follower has not fetched yet, and until when (ms) its fetches park briefly. */
    private record Awaited(Set<TopicPartition> partitions, long untilMs) {
    }

    private final DelayedFetchPurgatory purgatory;
    private final LongSupplier clockMs;
    /** Per follower node id. */
    private final ConcurrentHashMap<Integer, Awaited> awaited = new ConcurrentHashMap<>();
    /** How many leaderships began here: moved before their followers' parked fetches are woken. */
    private final AtomicLong begun = new AtomicLong();

    NewLeaderships(DelayedFetchPurgatory purgatory, LongSupplier clockMs) {
        this.purgatory = purgatory;
        this.clockMs = clockMs;
    }

    /** This broker began leading {@code tp}, whose other replicas are {@code followers} (node ids). */
    void began(TopicPartition tp, Collection<Integer> followers) {
        if (followers.isEmpty()) {
            return;
        }
        long until = clockMs.getAsLong() + WINDOW_MS;
        for (int f : followers) {
            awaited.compute(f, (id, a) -> {
                Set<TopicPartition> partitions = a == null ? ConcurrentHashMap.newKeySet() : a.partitions();
                partitions.add(tp);
                return new Awaited(partitions, until);
            });
        }
        begun.incrementAndGet();
        purgatory.wakeFollowerFetches(followers);
    }

    /**
     * How many leaderships began here so far. A follower fetch's handler reads it before choosing how long to park
     * and again once parked: when it moved, a leadership began between the two and may have missed the fetch, which
     * is then answered at once.
     */
    long begun() {
        return begun.get();
    }

    /** Follower {@code replicaId}'s fetch names {@code tp}: a leadership of it no longer waits for that follower. */
    void fetched(int replicaId, TopicPartition tp) {
        Awaited a = awaited.get(replicaId);
        if (a != null && a.partitions().remove(tp) && a.partitions().isEmpty()) {
            awaited.remove(replicaId, a);
        }
    }

    /** How long a fetch of follower {@code replicaId} asking to park {@code requestedMs} may park, in ms. */
    int maxWaitMs(int replicaId, int requestedMs) {
        Awaited a = awaited.get(replicaId);
        if (a == null) {
            return requestedMs;
        }
        if (a.partitions().isEmpty() || clockMs.getAsLong() >= a.untilMs()) {
            awaited.remove(replicaId, a);
            return requestedMs;
        }
        return Math.min(requestedMs, SHORT_WAIT_MS);
    }
}
