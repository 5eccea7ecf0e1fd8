package io.samsa.metadata;

import java.util.List;

/**
 * A broker as registered with the controller.
 *
 * @param nodeId      {@code node.id}
 * @param brokerEpoch assigned by the controller at registration; fences stale incarnations
 * @param endpoints   advertised listeners
 * @param rack        {@code broker.rack} or null
 * @param fenced      true while the broker may not lead partitions
 */
public record BrokerRegistration(int nodeId, long brokerEpoch, List<Endpoint> endpoints, String rack, boolean fenced) {
    /** One advertised listener: name (e.g. PLAINTEXT), host and port. */
    public record Endpoint(String listener, String host, int port) {
    }
}
