package io.samsa.metadata;

/** A thing that carries dynamic configs: a topic or a broker (name "" = the cluster-wide broker default). */
public record ConfigResource(Type type, String name) {
    public enum Type { TOPIC, BROKER }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }
}
