package io.samsa.metadata;

import java.util.Objects;

/**
 * One change to the dynamic configs of a topic or broker, as given to {@link MetadataQuorum#alterConfigs}: set a key
 * to a value, or delete the key (the resource then falls back to its next source: broker config or default). The
 * broker validates key names and values against its config definitions before it calls the quorum; the quorum checks
 * only that the resource exists and the change is well formed.
 *
 * @param resource the topic, or the broker ({@code name} = node id as a decimal string, {@code ""} = cluster default)
 * @param key      the config key, Kafka's name ({@code retention.ms}, {@code log.retention.ms}, ...)
 * @param op       set or delete
 * @param value    the new value as text for {@link Op#SET}; null for {@link Op#DELETE}
 */
public record ConfigChange(ConfigResource resource, String key, Op op, String value) {
    /** What a change does (Kafka's {@code AlterConfigOp.OpType} SET and DELETE; APPEND/SUBTRACT are resolved by the broker). */
    public enum Op { SET, DELETE }

    public ConfigChange {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(op, "op");
        if (op == Op.DELETE) {
            value = null;
        }
    }

    public static ConfigChange set(ConfigResource resource, String key, String value) {
        return new ConfigChange(resource, key, Op.SET, value);
    }

    public static ConfigChange delete(ConfigResource resource, String key) {
        return new ConfigChange(resource, key, Op.DELETE, null);
    }
}
