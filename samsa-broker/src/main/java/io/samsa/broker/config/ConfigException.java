package io.samsa.broker.config;

/**
 * An invalid configuration: the message names the key, the value and why, in Kafka's wording
 * ({@code Invalid value abc for configuration num.partitions: Not a number of type INT}). CreateTopics and
 * AlterConfigs answer it with {@code INVALID_CONFIG} and this message.
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    /** An invalid value of {@code key}. */
    public ConfigException(String key, Object value, String why) {
        super("Invalid value " + value + " for configuration " + key + ": " + why);
        this.key = key;
    }

    /** Any other configuration problem (unknown topic config, missing file, ...). */
    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    /** The key at fault, or null when the problem is not about one value. */
    public String key() {
        return key;
    }
}
