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
 * {@code CONTROLLER} port that carries the Ratis quorum, and the Kafka KRaft combined-node properties a user would
 * write for them. Immutable.
 */
record ClusterLayout(Map<Integer, String> hosts, Map<Integer, Integer> clientPorts,
        Map<Integer, Integer> controllerPorts) {

    ClusterLayout {
        hosts = Map.copyOf(new TreeMap<>(hosts));
        clientPorts = Map.copyOf(clientPorts);
        controllerPorts = Map.copyOf(controllerPorts);
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
        return new ClusterLayout(hosts, clientPorts, controllerPorts);
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

    String voters() {
        return nodeIds().stream().map(id -> id + "@" + hosts.get(id) + ":" + controllerPorts.get(id))
                .collect(Collectors.joining(","));
    }

    /** Node {@code id}'s properties: a combined broker and controller with its data in {@code logDir}. */
    Map<String, String> properties(int id, Path logDir) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(id));
        props.put("listeners", "PLAINTEXT://" + clientAddress(id) + ",CONTROLLER://" + hosts.get(id) + ":"
                + controllerPorts.get(id));
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
