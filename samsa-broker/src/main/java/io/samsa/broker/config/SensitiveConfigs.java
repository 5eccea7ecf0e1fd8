package io.samsa.broker.config;

import java.util.Locale;

/**
 * Which broker keys hold secrets (Kafka's {@code PASSWORD} type): their values are never described
 * (DescribeConfigs answers them with {@code isSensitive=true} and a null value, as Kafka) nor logged. Covers keys
 * Samsa reads from the original properties without defining them, e.g.
 * {@code listener.name.sasl_plaintext.plain.sasl.jaas.config}. Stateless and thread-safe.
 */
public final class SensitiveConfigs {
    private SensitiveConfigs() {
    }

    /** True for JAAS configs, passwords, secrets, passphrases and private keys. */
    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("sasl.jaas.config") || k.endsWith("password") || k.contains("secret")
                || k.endsWith("passphrase") || k.endsWith("ssl.keystore.key");
    }
}
