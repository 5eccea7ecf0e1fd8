package io.samsa.broker.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka's per-listener overrides: {@code listener.name.<listener>.<key>} (listener name in lower case, e.g.
 * {@code listener.name.sasl_ssl.ssl.keystore.location}, or with a SASL mechanism for JAAS:
 * {@code listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config}) wins over the plain {@code <key>}. Such keys are
 * read from the original properties; {@link #isListenerPrefixed} keeps them out of the unknown-key warnings.
 * Stateless and thread-safe.
 */
public final class ListenerOverrides {
    /** The prefix of every per-listener key. */
    public static final String PREFIX = "listener.name.";

    private ListenerOverrides() {
    }

    /** {@code listener.name.<listener lower case>.<key>}. */
    public static String prefixed(String listenerName, String key) {
        return PREFIX + listenerName.toLowerCase(Locale.ROOT) + "." + key;
    }

    /** The listener's own value of {@code key}, else the plain key's, from the properties as given. */
    public static Optional<String> value(Map<String, String> original, String listenerName, String key) {
        String own = original.get(prefixed(listenerName, key));
        return Optional.ofNullable(own != null ? own : original.get(key));
    }

    /** True for {@code listener.name.*} keys. */
    public static boolean isListenerPrefixed(String key) {
        return key.startsWith(PREFIX);
    }
}
