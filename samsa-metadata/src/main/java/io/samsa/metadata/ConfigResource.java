package io.samsa.metadata;

import java.util.Objects;

/**
 * A thing that carries dynamic configs: a topic (name = topic name) or a broker (name = node id as a decimal string,
 * {@code ""} = the cluster-wide broker default, Kafka's {@code <default>} entity).
 */
public record ConfigResource(Type type, String name) {
    public enum Type { TOPIC, BROKER }

    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }

    /** A broker's own dynamic configs ({@code nodeId} as text), or with {@code ""} the cluster default. */
    public static ConfigResource broker(String name) {
        return new ConfigResource(Type.BROKER, name);
    }

    /** The cluster-wide dynamic broker default. */
    public static ConfigResource clusterDefault() {
        return new ConfigResource(Type.BROKER, "");
    }
}
