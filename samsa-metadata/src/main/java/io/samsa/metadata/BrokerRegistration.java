package io.samsa.metadata;

import java.util.List;
import java.util.UUID;

/**
 * A broker as registered with the controller (KIP-631).
 *
 * @param nodeId               {@code node.id}
 * @param brokerEpoch          the log index its registration committed at; fences stale incarnations
 *                             (STALE_BROKER_EPOCH)
 * @param incarnationId        random id of the broker process that registered, null when registered by a log
 *                             written before incarnation ids (then any incarnation may re-register)
 * @param endpoints            advertised listeners
 * @param rack                 {@code broker.rack} or null
 * @param fenced               true while the broker may not lead partitions nor be in an ISR: from registration
 *                             until it has caught up with the metadata log, and after its session expired
 * @param inControlledShutdown true once the broker asked to shut down (its leaderships are moving away)
 */
public record BrokerRegistration(int nodeId, long brokerEpoch, UUID incarnationId, List<Endpoint> endpoints,
                                 String rack, boolean fenced, boolean inControlledShutdown) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    /** One advertised listener: name (e.g. PLAINTEXT), host and port. */
    public record Endpoint(String listener, String host, int port) {
    }
}
