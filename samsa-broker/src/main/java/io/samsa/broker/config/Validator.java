package io.samsa.broker.config;

/**
 * Checks one parsed value (never null: absent values take the default, which is trusted). See {@link Validators} for
 * Kafka's range and enumeration validators.
 */
@FunctionalInterface
public interface Validator {
    /**
     * @param key   the configuration key, for the message
     * @param value the parsed value (type as {@link ConfigType#parse})
     * @throws ConfigException naming the key, the value and why
     */
    void ensureValid(String key, Object value);
}
