package io.samsa.broker.config;

/** An invalid configuration value: the message names the key, the value and why. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, Object value, String why) {
        super("Invalid value " + value + " for configuration " + key + ": " + why);
    }

    public ConfigException(String message) {
        super(message);
    }
}
