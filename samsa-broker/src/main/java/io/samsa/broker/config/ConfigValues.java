package io.samsa.broker.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed, validated values of every key of a {@link ConfigDef}, defaults included (a value may be null when the key
 * has no default). Immutable and thread-safe.
 */
public final class ConfigValues {
    private final Map<String, Object> values;
    private final Set<String> explicit;

    ConfigValues(Map<String, Object> values, Set<String> explicit) {
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
        this.explicit = Set.copyOf(explicit);
    }

    /** True when {@code key} was given explicitly rather than taken from its default. */
    public boolean isExplicit(String key) {
        return explicit.contains(key);
    }

    /** The keys given explicitly. */
    public Set<String> explicitKeys() {
        return explicit;
    }

    /** The value of {@code key} (null when it has no value). */
    public Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("Unknown configuration " + key);
        }
        return values.get(key);
    }

    public Integer getInt(String key) {
        return (Integer) get(key);
    }

    public Long getLong(String key) {
        return (Long) get(key);
    }

    public Short getShort(String key) {
        return (Short) get(key);
    }

    public Double getDouble(String key) {
        return (Double) get(key);
    }

    public Boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) get(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigValues other && values.equals(other.values) && explicit.equals(other.explicit);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigValues" + values;
    }
}
