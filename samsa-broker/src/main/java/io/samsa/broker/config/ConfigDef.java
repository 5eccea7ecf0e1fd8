package io.samsa.broker.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of {@link ConfigKey} definitions (Kafka's {@code ConfigDef}), built once with the fluent {@code define}
 * methods and then read-only. Parsing a property map validates every explicit value and fills in the defaults.
 * Building is not thread-safe; a built definition is safe to share.
 */
public final class ConfigDef {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /** Adds a key Samsa acts on. */
    public ConfigDef define(String name, ConfigType type, Object defaultValue, Validator validator,
            ConfigKey.Importance importance, String doc, String... synonyms) {
        return add(new ConfigKey(name, type, defaultValue, validator, importance, doc, List.of(synonyms), true));
    }

    /** Adds a key Samsa accepts (Kafka's name and default) but does not act on yet. */
    public ConfigDef accept(String name, ConfigType type, Object defaultValue, Validator validator,
            ConfigKey.Importance importance, String doc) {
        return add(new ConfigKey(name, type, defaultValue, validator, importance, doc, List.of(), false));
    }

    private ConfigDef add(ConfigKey key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("Configuration " + key.name() + " is defined twice");
        }
        return this;
    }

    /** The definition of {@code name}, if any. */
    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** All definitions, in definition order. */
    public Map<String, ConfigKey> keys() {
        return Collections.unmodifiableMap(keys);
    }

    /** The given keys that this definition does not know, in the map's iteration order. */
    public Set<String> unknownKeys(Map<String, String> props) {
        Set<String> unknown = new LinkedHashSet<>(props.keySet());
        unknown.removeAll(keys.keySet());
        unknown.removeIf(ListenerOverrides::isListenerPrefixed);
        return Collections.unmodifiableSet(unknown);
    }

    /**
     * Parses and validates every defined key present in {@code props}; absent keys take their default. Keys not
     * defined here are ignored (see {@link #unknownKeys}).
     *
     * @throws ConfigException for the first invalid value, naming the key, the value and why
     */
    public ConfigValues parse(Map<String, String> props) {
        Map<String, Object> values = new HashMap<>();
        Set<String> explicit = new LinkedHashSet<>();
        for (ConfigKey key : keys.values()) {
            String text = props.get(key.name());
            if (text == null) {
                values.put(key.name(), key.defaultValue());
            } else {
                values.put(key.name(), key.parse(text));
                explicit.add(key.name());
            }
        }
        return new ConfigValues(values, explicit);
    }
}
