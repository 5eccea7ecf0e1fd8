package io.samsa.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Where the nodes of a test cluster live: node ids 1..N, each with a host, a client port ({@code PLAINTEXT}) and a
 * {@code CONTROLLER} port that carries the Ratis quorum, and the Kafka KRaft properties a user would write for them:
 * combined nodes ({@code process.roles=broker,controller}, the voters) and broker-only nodes ({@code
 * process.roles=broker}, outside {@code controller.quorum.voters}; their controller port stays unused). Immutable.
 *
 * @param brokerOnly ids of the broker-only nodes (empty: every node is a voter)
 */
record ClusterLayout(Map<Integer, String> hosts, Map<Integer, Integer> clientPorts,
        Map<Integer, Integer> controllerPorts, Set<Integer> brokerOnly) {

    ClusterLayout {
        hosts = Map.copyOf(new TreeMap<>(hosts));
        clientPorts = Map.copyOf(clientPorts);
        controllerPorts = Map.copyOf(controllerPorts);
        brokerOnly = Set.copyOf(brokerOnly);
        if (brokerOnly.containsAll(hosts.keySet())) {
            throw new IllegalArgumentException("a cluster needs at least one voter, all nodes are broker-only");
        }
    }

    /** This layout with {@code ids} as broker-only nodes, the others the voters. */
    ClusterLayout withBrokerOnly(Set<Integer> ids) {
        return new ClusterLayout(hosts, clientPorts, controllerPorts, ids);
    }

    boolean isBrokerOnly(int id) {
        return brokerOnly.contains(id);
    }

    /** {@code size} nodes at {@code host.apply(id)}, two free loopback ports each. */
    static ClusterLayout of(int size, IntFunction<String> host) throws IOException {
        Map<Integer, String> hosts = new TreeMap<>();
        Map<Integer, Integer> clientPorts = new TreeMap<>();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        for (int id = 1; id <= size; id++) {
            hosts.put(id, host.apply(id));
            clientPorts.put(id, Ports.freePort());
            controllerPorts.put(id, Ports.freePort());
        }
        return new ClusterLayout(hosts, clientPorts, controllerPorts, Set.of());
    }

    /** {@code size} nodes on 127.0.0.1. */
    static ClusterLayout loopback(int size) throws IOException {
        return of(size, id -> "127.0.0.1");
    }

    Set<Integer> nodeIds() {
        return new TreeMap<>(hosts).keySet();
    }

    String clientAddress(int id) {
        return hosts.get(id) + ":" + clientPorts.get(id);
    }

    /** Every node's client address, comma-separated. */
    String bootstrapServers() {
        return nodeIds().stream().map(this::clientAddress).collect(Collectors.joining(","));
    }

    /** {@code controller.quorum.voters}: every node but the broker-only ones. */
    String voters() {
        return nodeIds().stream().filter(id -> !isBrokerOnly(id)).map(id -> id + "@" + hosts.get(id) + ":" + controllerPorts.get(id))
                .collect(Collectors.joining(","));
    }

    /**
     * Node {@code id}'s properties with its data in {@code logDir}: a combined broker and controller, or for a
     * broker-only node a broker with only the client listener (Kafka refuses a controller listener there).
     */
    Map<String, String> properties(int id, Path logDir) {
        Map<String, String> props = new LinkedHashMap<>();
        boolean brokerOnlyNode = isBrokerOnly(id);
        props.put("process.roles", brokerOnlyNode ? "broker" : "broker,controller");
        props.put("node.id", Integer.toString(id));
        props.put("listeners", brokerOnlyNode ? "PLAINTEXT://" + clientAddress(id) : "PLAINTEXT://" + clientAddress(id)
                + ",CONTROLLER://" + hosts.get(id) + ":" + controllerPorts.get(id));
        props.put("advertised.listeners", "PLAINTEXT://" + clientAddress(id));
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", voters());
        props.put("log.dirs", logDir.toString());
        return props;
    }

    /** {@code props} as a properties file's text. */
    static String text(Map<String, String> props) {
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }
}
