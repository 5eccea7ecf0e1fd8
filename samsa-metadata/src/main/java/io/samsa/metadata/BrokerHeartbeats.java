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
 * <p>Time is passed in (nanoseconds, monotonic). Thread-safe (synchronized).
 */
final class BrokerHeartbeats {
    private record Session(long brokerEpoch, long lastContactNanos, boolean heard) {
    }

    private final long sessionTimeoutNanos;
    private final Map<Integer, Session> sessions = new HashMap<>();

    BrokerHeartbeats(long sessionTimeoutNanos) {
        this.sessionTimeoutNanos = sessionTimeoutNanos;
    }

    /** Forgets every session and starts a lease for each unfenced broker of {@code image} at {@code now}. */
    synchronized void activate(ClusterImage image, long now) {
        sessions.clear();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                sessions.put(b.nodeId(), new Session(b.brokerEpoch(), now, false));
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
