package io.samsa.metadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The active controller's broker sessions (Kafka's {@code BrokerHeartbeatManager}), in memory only: heartbeats are
 * never logged. A session belongs to one broker epoch; it is live while the last contact is at most
 * {@code broker.session.timeout.ms} old. When a controller becomes active ({@link #activate}) every unfenced broker
 * gets a fresh lease starting then, so a failover fences nobody at once; such a lease does not count as "heard"
 * until a real heartbeat arrives, so a new incarnation may take over a node id whose previous incarnation has not
 * been heard from by this controller (what lets a restarted single node re-register at once).
 *
 * <p>One exception to the fresh lease (ADR 0029, a difference from Kafka): the broker on the node of the previous
 * Raft leader (the deposed controller; in combined mode it has a broker registration with the same node id) starts
 * its lease when this node, then a follower, last heard from that leader ({@link PreviousLeader}), never later than
 * the activation. A {@code kill -9} of the node that is both controller and partition leader then moves its
 * leaderships one session after it fell silent, as for any other broker, instead of one session after the election
 * (1–2 s later). Safe for a deposed controller whose broker is in fact alive (a leadership transfer, a GC pause
 * shorter than the session): it heartbeats every {@code broker.heartbeat.interval.ms} (2 s) and keeps its session,
 * since its lease is shortened only by the time from its last Raft RPC to this activation, the election: 1–2 s
 * ({@code raft.server.rpc.timeout.min}/{@code max}), more only after a split vote, out of 9 s. Like the other
 * restarted leases it does not count as "heard".
 *
 * <p>Time is passed in (nanoseconds, monotonic: {@link System#nanoTime}). Thread-safe (synchronized).
 */
final class BrokerHeartbeats {
    private record Session(long brokerEpoch, long lastContactNanos, boolean heard) {
    }

    private final long sessionTimeoutNanos;
    private final Map<Integer, Session> sessions = new HashMap<>();

    BrokerHeartbeats(long sessionTimeoutNanos) {
        this.sessionTimeoutNanos = sessionTimeoutNanos;
    }

    /**
     * The deposed controller's node and when this node last heard from it as its Raft follower.
     *
     * @param nodeId        node id of the previous Raft leader (never this node)
     * @param lastHeardNanos when its last RPC reached this node ({@link System#nanoTime}, same clock as {@code now})
     */
    record PreviousLeader(int nodeId, long lastHeardNanos) {
    }

    /** Forgets every session and starts a lease for each unfenced broker of {@code image} at {@code now}. */
    synchronized void activate(ClusterImage image, long now) {
        activate(image, now, null);
    }

    /**
     * Forgets every session and starts a lease for each unfenced broker of {@code image} at {@code now}, except the
     * broker of {@code previousLeader}'s node (when given): its lease starts when that leader was last heard, or at
     * {@code now} if that is later (a lease never starts after the activation).
     */
    synchronized void activate(ClusterImage image, long now, PreviousLeader previousLeader) {
        sessions.clear();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                long start = now;
                if (previousLeader != null && previousLeader.nodeId() == b.nodeId()
                        && previousLeader.lastHeardNanos() - now < 0) {
                    start = previousLeader.lastHeardNanos();
                }
                sessions.put(b.nodeId(), new Session(b.brokerEpoch(), start, false));
            }
        }
    }

    /** A heartbeat from {@code nodeId} at {@code brokerEpoch}. */
    synchronized void touch(int nodeId, long brokerEpoch, long now) {
        sessions.put(nodeId, new Session(brokerEpoch, now, true));
    }

    /** Whether this controller heard from {@code nodeId} at {@code brokerEpoch} within the session timeout. */
    synchronized boolean hasLiveSession(int nodeId, long brokerEpoch, long now) {
        Session s = sessions.get(nodeId);
        return s != null && s.heard() && s.brokerEpoch() == brokerEpoch
                && now - s.lastContactNanos() <= sessionTimeoutNanos;
    }

    /**
     * The unfenced brokers of {@code image} whose session expired at {@code now}, ascending. A broker seen for the
     * first time (or at a new epoch) starts its lease now.
     */
    synchronized List<Integer> expired(ClusterImage image, long now) {
        var expired = new ArrayList<Integer>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced()) {
                continue;
            }
            Session s = sessions.get(b.nodeId());
            if (s == null || s.brokerEpoch() != b.brokerEpoch()) {
                sessions.put(b.nodeId(), new Session(b.brokerEpoch(), now, false));
            } else if (now - s.lastContactNanos() > sessionTimeoutNanos) {
                expired.add(b.nodeId());
            }
        }
        expired.sort(Integer::compare);
        return expired;
    }
}
