package io.samsa.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a Kafka-style {@code server.properties} file ({@link Properties} syntax, read as UTF-8) and applies
 * {@code key=value} overrides on top, as Kafka's {@code kafka-server-start.sh config --override key=value}.
 */
public final class PropertiesLoader {
    private PropertiesLoader() {
    }

    /**
     * @param file      the properties file, or null for none
     * @param overrides {@code key=value} strings, later ones winning; the value may contain {@code =} and may be empty
     * @return the merged properties, file entries first; never null
     * @throws ConfigException if the file does not exist or cannot be read, or an override has no {@code =}
     */
    public static Map<String, String> load(Path file, List<String> overrides) {
        Map<String, String> props = new LinkedHashMap<>();
        if (file != null) {
            props.putAll(readFile(file));
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Invalid override '" + override + "': expected key=value");
            }
            props.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        return props;
    }

    /** Reads one properties file. */
    public static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Config file " + file + " does not exist");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new ConfigException("Config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            props.put(name, properties.getProperty(name));
        }
        return props;
    }
}
