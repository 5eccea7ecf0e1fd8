package io.samsa.broker.config;

import io.samsa.broker.config.BrokerConfig.Listener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of Kafka's listener lists ({@code NAME://host:port,...}), security protocol maps and quorum voters.
 * Listener names are case-insensitive and normalised to upper case, as Kafka's {@code ListenerName.normalised}.
 * An IPv6 host is written in brackets ({@code PLAINTEXT://[::1]:9092}) and kept without them. Thread-safe.
 */
final class Listeners {
    /** The security protocols Kafka knows (and Samsa serves). */
    static final Set<String> SECURITY_PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    private static final Pattern LISTENER = Pattern.compile("^([A-Za-z0-9_\\-]*)://(\\[[0-9A-Fa-f:.%a-z]*]|[^:\\[\\]/]*):(-?\\d+)$");
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9A-Fa-f:.%a-z]*]|[^:\\[\\]/@]+):(\\d+)$");

    private Listeners() {
    }

    /**
     * Parses a listener list; names must be unique, and so must ports, except port 0 (ephemeral).
     *
     * @throws ConfigException naming {@code key} and the bad entry
     */
    static List<Listener> parse(String key, List<String> entries) {
        List<Listener> listeners = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<Integer, String> ports = new HashMap<>();
        for (String entry : entries) {
            Matcher m = LISTENER.matcher(entry);
            if (!m.matches()) {
                throw new ConfigException(key, entry, "Listener must be of the form NAME://host:port");
            }
            String name = m.group(1).toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new ConfigException(key, entry, "Listener name must not be empty");
            }
            String host = unbracket(m.group(2));
            int port = port(key, entry, m.group(3));
            if (!names.add(name)) {
                throw new ConfigException(key, String.join(",", entries), "Each listener must have a different name");
            }
            String other = ports.putIfAbsent(port, name);
            if (port != 0 && other != null) {
                throw new ConfigException(key, String.join(",", entries), "Each listener must have a different port");
            }
            listeners.add(new Listener(name, host, port));
        }
        return List.copyOf(listeners);
    }

    /** Parses {@code NAME:PROTOCOL,...} (names normalised to upper case). */
    static Map<String, String> parseProtocolMap(String key, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text.isBlank()) {
            return map;
        }
        for (String entry : text.trim().split("\\s*,\\s*")) {
            int colon = entry.indexOf(':');
            String protocol = colon < 0 ? "" : entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            if (colon <= 0 || !SECURITY_PROTOCOLS.contains(protocol)) {
                throw new ConfigException(key, text,
                        "Entry '" + entry + "' must be NAME:PROTOCOL with PROTOCOL one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
            }
            map.put(entry.substring(0, colon).trim().toUpperCase(Locale.ROOT), protocol);
        }
        return map;
    }

    /** Parses {@code id@host:port,...} into id → {@code host:port}, in the given order. */
    static Map<Integer, String> parseVoters(String key, List<String> entries) {
        Map<Integer, String> voters = new LinkedHashMap<>();
        for (String entry : entries) {
            int at = entry.indexOf('@');
            if (at <= 0) {
                throw new ConfigException(key, entry, "Voter must be of the form id@host:port");
            }
            int id;
            try {
                id = Integer.parseInt(entry.substring(0, at));
            } catch (NumberFormatException e) {
                throw new ConfigException(key, entry, "Voter id must be a number");
            }
            if (id < 0) {
                throw new ConfigException(key, entry, "Voter id must be at least 0");
            }
            if (voters.put(id, hostPort(key, entry.substring(at + 1))) != null) {
                throw new ConfigException(key, String.join(",", entries), "Voter " + id + " is listed twice");
            }
        }
        return voters;
    }

    /** Checks and normalises {@code host:port} (IPv6 in brackets). */
    static String hostPort(String key, String text) {
        Matcher m = HOST_PORT.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(key, text, "Address must be of the form host:port");
        }
        port(key, text, m.group(2));
        return text;
    }

    private static int port(String key, String entry, String digits) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // out of int range: reported below
        }
        throw new ConfigException(key, entry, "Port must be between 0 and 65535");
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
