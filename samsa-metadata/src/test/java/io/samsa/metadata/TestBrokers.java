package io.samsa.metadata;

import java.util.List;
import java.util.UUID;

/** Registers brokers the way a broker does: register (fenced), then one heartbeat that unfences it. */
final class TestBrokers {
    private TestBrokers() {
    }

    /** Registers {@code nodeId} with a fresh incarnation and unfences it; returns its broker epoch. */
    static long live(MetadataQuorum quorum, int nodeId, List<BrokerRegistration.Endpoint> endpoints, String rack) {
        long epoch = quorum.registerBroker(nodeId, UUID.randomUUID(), endpoints, rack).join();
        long applied = Math.max(quorum.appliedIndex(), epoch);
        HeartbeatResult result = quorum.heartbeat(nodeId, epoch, applied, false).join();
        if (result.fenced()) {
            throw new AssertionError("Broker " + nodeId + " still fenced after its first heartbeat");
        }
        return epoch;
    }
}
