package io.samsa.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Builds the broker's Kafka-style properties: the {@code --config} file ({@code server.properties} syntax), then the
 * {@code --override} pairs on top. Pure apart from reading the file.
 */
final class ServerConfigLoader {
    private ServerConfigLoader() {
    }

    /**
     * @param file      a properties file, or null for none (all defaults)
     * @param overrides {@code key=value} pairs that win over the file
     * @throws CliException (exit 2) when the file cannot be read
     */
    static Map<String, String> properties(Path file, Map<String, String> overrides) {
        Map<String, String> result = new TreeMap<>();
        if (file != null) {
            Properties fromFile = ClientOptions.load(file);
            fromFile.stringPropertyNames().forEach(key -> result.put(key, fromFile.getProperty(key).strip()));
        }
        result.putAll(overrides);
        return result;
    }
}
