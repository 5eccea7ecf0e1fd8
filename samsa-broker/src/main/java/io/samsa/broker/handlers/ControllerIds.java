package io.samsa.broker.handlers;

import io.samsa.metadata.ClusterImage;

/**
 * The {@code ControllerId} a broker gives clients in Metadata and DescribeCluster responses. Clients send admin
 * requests (CreateTopics, ...) to that node through its broker endpoint, so it must be a broker: in KRaft, Kafka's
 * brokers answer with an alive broker (they forward controller requests), never a controller-only node. Samsa answers
 * with the active controller when it is a registered broker (combined nodes: what the user expects to see), else with
 * itself (it forwards to the quorum leader).
 */
final class ControllerIds {
    private ControllerIds() {
    }

    static int forClients(ClusterImage image, int selfNodeId) {
        int controller = image.controllerId();
        return controller >= 0 && image.brokers().containsKey(controller) ? controller : selfNodeId;
    }
}
