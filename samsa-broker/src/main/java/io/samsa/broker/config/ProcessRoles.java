package io.samsa.broker.config;

import static io.samsa.broker.config.BrokerConfigDefs.CONTROLLER_LISTENER_NAMES;
import static io.samsa.broker.config.BrokerConfigDefs.CONTROLLER_QUORUM_VOTERS;
import static io.samsa.broker.config.BrokerConfigDefs.LISTENERS;
import static io.samsa.broker.config.ClusterConfigDefs.INTER_BROKER_LISTENER_NAME;
import static io.samsa.broker.config.ClusterConfigDefs.PROCESS_ROLES;
import static io.samsa.broker.config.ClusterConfigDefs.REPLICA_FETCH_WAIT_MAX_MS;
import static io.samsa.broker.config.ClusterConfigDefs.REPLICA_SOCKET_TIMEOUT_MS;
import static io.samsa.broker.config.ClusterConfigDefs.SECURITY_INTER_BROKER_PROTOCOL;

import io.samsa.broker.config.BrokerConfig.Listener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Apache Kafka 4.3's rules tying {@code process.roles} to {@code node.id}, {@code controller.quorum.voters},
 * {@code listeners}, {@code controller.listener.names} and {@code inter.broker.listener.name}, with Kafka's messages
 * ({@code KafkaConfig.validateValues}).
 *
 * <p>One difference on purpose (ADR 0003): a combined node whose quorum is itself alone may leave out
 * {@code controller.listener.names} and its CONTROLLER listener ({@code samsa server} with no arguments), and an
 * unset {@code inter.broker.listener.name} falls back to the first advertised listener when none is named after
 * {@code security.inter.broker.protocol}.
 */
final class ProcessRoles {
    static final String BROKER = "broker";
    static final String CONTROLLER = "controller";

    private ProcessRoles() {
    }

    /** {@code process.roles} as a set, without duplicates. */
    static Set<String> roles(ConfigValues values) {
        List<String> list = values.getList(PROCESS_ROLES);
        Set<String> roles = new LinkedHashSet<>(list);
        if (roles.size() != list.size()) {
            throw new ConfigException(PROCESS_ROLES, String.join(",", list), "Duplicate role names found in "
                    + PROCESS_ROLES);
        }
        if (roles.isEmpty()) {
            throw new ConfigException(PROCESS_ROLES, "", "At least one role (broker, controller) is required");
        }
        return Set.copyOf(roles);
    }

    /**
     * Checks the roles against the other keys.
     *
     * @param allListeners every listener of {@code listeners}, controller listeners included
     * @throws ConfigException naming the key, the value and Kafka's reason
     */
    static void validate(ConfigValues values, Set<String> roles, int nodeId, Map<Integer, String> voters,
            List<Listener> allListeners) {
        Set<String> controllerNames = values.getList(CONTROLLER_LISTENER_NAMES).stream()
                .map(name -> name.toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> listenerNames = allListeners.stream().map(Listener::name).collect(Collectors.toSet());
        String listenersText = String.join(",", values.getList(LISTENERS));
        String voterIds = "controller.quorum.voters=" + new TreeSet<>(voters.keySet());
        boolean broker = roles.contains(BROKER);
        boolean controller = roles.contains(CONTROLLER);
        boolean zeroConfigSingleNode = broker && controller && voters.size() == 1 && controllerNames.isEmpty();
        if (broker && !controller) {
            if (voters.containsKey(nodeId)) {
                throw new ConfigException(PROCESS_ROLES, String.join(",", roles), "If process.roles contains just the "
                        + "'broker' role, the node id " + nodeId + " must not be included in the set of voters "
                        + voterIds);
            }
            if (controllerNames.isEmpty()) {
                throw new ConfigException(CONTROLLER_LISTENER_NAMES, "", CONTROLLER_LISTENER_NAMES + " must contain at "
                        + "least one value when running KRaft with just the broker role");
            }
            if (controllerNames.stream().anyMatch(listenerNames::contains)) {
                throw new ConfigException(CONTROLLER_LISTENER_NAMES, String.join(",", controllerNames),
                        CONTROLLER_LISTENER_NAMES + " must not contain a value appearing in the 'listeners' "
                                + "configuration when running KRaft with just the broker role");
            }
        }
        if (controller) {
            if (!voters.containsKey(nodeId)) {
                throw new ConfigException(CONTROLLER_QUORUM_VOTERS, String.join(",", values.getList(
                        CONTROLLER_QUORUM_VOTERS)), "If process.roles contains the 'controller' role, the node id "
                        + nodeId + " must be included in the set of voters " + voterIds);
            }
            if (!broker && allListeners.stream().anyMatch(l -> !controllerNames.contains(l.name()))) {
                throw new ConfigException(LISTENERS, listenersText, "The listeners config must only contain KRaft "
                        + "controller listeners from " + CONTROLLER_LISTENER_NAMES + " when process.roles=controller");
            }
            if (!zeroConfigSingleNode) {
                if (controllerNames.stream().noneMatch(listenerNames::contains)) {
                    throw new ConfigException(CONTROLLER_LISTENER_NAMES, String.join(",", controllerNames),
                            CONTROLLER_LISTENER_NAMES + " must contain at least one value appearing in the "
                                    + "'listeners' configuration when running the KRaft controller role");
                }
                if (!listenerNames.containsAll(controllerNames)) {
                    throw new ConfigException(CONTROLLER_LISTENER_NAMES, String.join(",", controllerNames),
                            CONTROLLER_LISTENER_NAMES + " must only contain values appearing in the 'listeners' "
                                    + "configuration when running the KRaft controller role");
                }
            }
        }
        if (values.getInt(REPLICA_FETCH_WAIT_MAX_MS) > values.getInt(REPLICA_SOCKET_TIMEOUT_MS)) {
            throw new ConfigException(REPLICA_SOCKET_TIMEOUT_MS, values.getInt(REPLICA_SOCKET_TIMEOUT_MS),
                    "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent "
                            + "unnecessary socket timeouts");
        }
    }

    /**
     * The inter-broker listener: {@code inter.broker.listener.name}, which must be an advertised listener and not a
     * controller listener; unset, the listener named after {@code security.inter.broker.protocol}, else the first
     * advertised one. Null for a controller-only node.
     */
    static String interBrokerListener(ConfigValues values, Set<String> roles, List<Listener> advertised) {
        if (!roles.contains(BROKER)) {
            return null;
        }
        List<String> names = advertised.stream().map(Listener::name).toList();
        String explicit = values.getString(INTER_BROKER_LISTENER_NAME);
        if (explicit != null) {
            String name = explicit.trim().toUpperCase(Locale.ROOT);
            Set<String> controllerNames = values.getList(CONTROLLER_LISTENER_NAMES).stream()
                    .map(n -> n.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
            if (controllerNames.contains(name)) {
                throw new ConfigException(INTER_BROKER_LISTENER_NAME, explicit, "controller.listener.names must not "
                        + "contain an explicitly set inter.broker.listener.name configuration value");
            }
            if (!names.contains(name)) {
                throw new ConfigException(INTER_BROKER_LISTENER_NAME, explicit, INTER_BROKER_LISTENER_NAME
                        + " must be a listener name defined in advertised.listeners. The valid options based on "
                        + "currently configured listeners are " + String.join(",", names));
            }
            return name;
        }
        String byProtocol = values.getString(SECURITY_INTER_BROKER_PROTOCOL).trim().toUpperCase(Locale.ROOT);
        return names.contains(byProtocol) ? byProtocol : names.getFirst();
    }
}
