package io.samsa.broker.config;

/**
 * Checks one parsed value (never null: absent values take the default, which is trusted). See {@link Validators} for
 * Kafka's range and enumeration validators, which also {@link #describe} themselves for the configuration reference.
 */
@FunctionalInterface
public interface Validator {
    /**
     * @param key   the configuration key, for the message
     * @param value the parsed value (type as {@link ConfigType#parse})
     * @throws ConfigException naming the key, the value and why
     */
    void ensureValid(String key, Object value);

    /**
     * The valid values in Kafka's documentation wording ({@code ConfigDef.Validator.toString}): {@code [1,...]},
     * {@code [1,...,17]}, {@code [CreateTime, LogAppendTime]}; empty when the validator cannot say (a lambda), which
     * {@code ConfigReferenceTest} refuses for the defined keys.
     */
    default String describe() {
        return "";
    }
}
