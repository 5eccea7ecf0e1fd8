package io.samsa.broker.config;

import static io.samsa.broker.config.BrokerConfigDefs.ADVERTISED_LISTENERS;
import static io.samsa.broker.config.BrokerConfigDefs.CONTROLLER_LISTENER_NAMES;
import static io.samsa.broker.config.BrokerConfigDefs.CONTROLLER_QUORUM_BOOTSTRAP_SERVERS;
import static io.samsa.broker.config.BrokerConfigDefs.CONTROLLER_QUORUM_VOTERS;
import static io.samsa.broker.config.BrokerConfigDefs.LISTENERS;
import static io.samsa.broker.config.BrokerConfigDefs.LISTENER_SECURITY_PROTOCOL_MAP;

import io.samsa.broker.config.BrokerConfig.Listener;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves the client listeners, the advertised listeners and the quorum voters from parsed broker values, with
 * Kafka's rules: controller listeners are the quorum's, every client listener needs a security protocol (Samsa:
 * PLAINTEXT and SASL_PLAINTEXT), advertised names must be listener names and must not use a wildcard host.
 */
record BrokerListeners(List<Listener> listeners, List<Listener> advertised, List<Listener> all) {
    private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "::");

    /** The listeners of a node with {@code roles}: a controller-only node has no client listener. */
    static BrokerListeners resolve(ConfigValues values, Set<String> roles) {
        Set<String> controllerNames = values.getList(CONTROLLER_LISTENER_NAMES).stream()
                .map(name -> name.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        Map<String, String> protocols = Listeners.parseProtocolMap(LISTENER_SECURITY_PROTOCOL_MAP,
                values.getString(LISTENER_SECURITY_PROTOCOL_MAP));
        List<Listener> all = Listeners.parse(LISTENERS, values.getList(LISTENERS));
        List<Listener> listeners = all.stream().filter(l -> !controllerNames.contains(l.name())).toList();
        String listenersText = String.join(",", values.getList(LISTENERS));
        if (!roles.contains(ProcessRoles.BROKER)) {
            return new BrokerListeners(List.of(), List.of(), all);
        }
        if (listeners.isEmpty()) {
            throw new ConfigException(LISTENERS, listenersText,
                    "At least one listener must not be a controller listener (" + CONTROLLER_LISTENER_NAMES + ")");
        }
        for (Listener listener : listeners) {
            String protocol = protocols.getOrDefault(listener.name(),
                    Listeners.SECURITY_PROTOCOLS.contains(listener.name()) ? listener.name() : null);
            if (protocol == null) {
                throw new ConfigException(LISTENERS, listenersText, "No security protocol defined for listener "
                        + listener.name() + " in " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
            if (!protocol.equals("PLAINTEXT") && !protocol.equals("SASL_PLAINTEXT")) {
                throw new ConfigException(LISTENERS, listenersText, "Listener " + listener.name()
                        + " uses security protocol " + protocol + "; Samsa supports PLAINTEXT and SASL_PLAINTEXT "
                        + "listeners");
            }
        }
        return new BrokerListeners(listeners, advertised(values, listeners, controllerNames), all);
    }

    private static List<Listener> advertised(ConfigValues values, List<Listener> listeners, Set<String> controllerNames) {
        if (!values.isExplicit(ADVERTISED_LISTENERS)) {
            return listeners.stream().map(l -> WILDCARD_HOSTS.contains(l.host())
                    ? new Listener(l.name(), "localhost", l.port()) : l).toList();
        }
        Set<String> names = listeners.stream().map(Listener::name).collect(Collectors.toSet());
        List<Listener> advertised = Listeners.parse(ADVERTISED_LISTENERS, values.getList(ADVERTISED_LISTENERS))
                .stream().filter(l -> !controllerNames.contains(l.name())).toList();
        String text = String.join(",", values.getList(ADVERTISED_LISTENERS));
        for (Listener listener : advertised) {
            if (listener.host().equals("0.0.0.0") || listener.host().equals("::")) {
                throw new ConfigException(ADVERTISED_LISTENERS, text, "advertised.listeners cannot use the "
                        + "nonroutable meta-address " + listener.host() + ". Use a routable IP address.");
            }
            if (!names.contains(listener.name())) {
                throw new ConfigException(ADVERTISED_LISTENERS, text, "advertised.listeners listener names must be "
                        + "equal to or a subset of the ones defined in listeners");
            }
        }
        if (advertised.isEmpty()) {
            throw new ConfigException(ADVERTISED_LISTENERS, text, "At least one client listener must be advertised");
        }
        return advertised;
    }

    /**
     * {@code controller.quorum.voters}; else a single {@code controller.quorum.bootstrap.servers} entry as this node
     * (Kafka's stock single-node file); else this node alone at {@code localhost:0}. Samsa's Ratis quorum is static,
     * so several bootstrap servers without voters cannot be mapped to ids.
     */
    static Map<Integer, String> voters(ConfigValues values, int nodeId, Set<String> roles) {
        List<String> voterList = values.getList(CONTROLLER_QUORUM_VOTERS);
        List<String> bootstrap = values.getList(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS);
        if (!voterList.isEmpty()) {
            return Listeners.parseVoters(CONTROLLER_QUORUM_VOTERS, voterList);
        }
        if (!bootstrap.isEmpty() && !roles.contains(ProcessRoles.CONTROLLER)) {
            throw new ConfigException(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, String.join(",", bootstrap),
                    "Samsa's quorum is static: a node without the controller role needs controller.quorum.voters");
        }
        if (bootstrap.size() == 1) {
            return Map.of(nodeId, Listeners.hostPort(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, bootstrap.getFirst()));
        }
        if (bootstrap.size() > 1) {
            throw new ConfigException(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, String.join(",", bootstrap),
                    "Samsa's quorum is static: with several bootstrap servers set controller.quorum.voters");
        }
        return Map.of(nodeId, "localhost:0");
    }
}
