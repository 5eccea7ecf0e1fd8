package io.samsa.protocol;

import java.util.Objects;

/**
 * Network settings of the Kafka listener. Immutable; validated on construction.
 *
 * @param host                     interface to bind ("" or "0.0.0.0" for all)
 * @param port                     port to bind; 0 picks a free one (see {@link KafkaWireServer#port()})
 * @param listenerName             e.g. PLAINTEXT
 * @param maxRequestBytes          {@code socket.request.max.bytes}: larger size prefixes (and negative ones) close
 *                                 the connection before any allocation (default 104857600 bytes)
 * @param maxInFlightPerConnection requests decoded but not yet answered before reading from the connection pauses
 * @param ioThreads                Netty event loop threads ({@code num.network.threads}, default 3)
 * @param security                 the listener's security protocol with its TLS and SASL settings
 * @throws IllegalArgumentException if a bound is not positive or the port is out of range
 */
public record ServerOptions(String host, int port, String listenerName, int maxRequestBytes,
                            int maxInFlightPerConnection, int ioThreads, ListenerSecurity security) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 64;
    public static final int DEFAULT_IO_THREADS = 3;
    public static final String DEFAULT_LISTENER_NAME = "PLAINTEXT";

    public ServerOptions {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(security, "security");
        if (host == null) {
            host = "";
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
        }
        if (maxInFlightPerConnection <= 0) {
            throw new IllegalArgumentException("maxInFlightPerConnection must be positive: " + maxInFlightPerConnection);
        }
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
        }
    }

    /** A PLAINTEXT listener. */
    public ServerOptions(String host, int port, String listenerName, int maxRequestBytes, int maxInFlightPerConnection,
                         int ioThreads) {
        this(host, port, listenerName, maxRequestBytes, maxInFlightPerConnection, ioThreads, ListenerSecurity.PLAINTEXT);
    }

    /** Kafka's defaults on the given address: PLAINTEXT, 100 MiB requests, 64 in flight, 3 I/O threads. */
    public static ServerOptions defaults(String host, int port) {
        return new ServerOptions(host, port, DEFAULT_LISTENER_NAME, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION, DEFAULT_IO_THREADS);
    }

    /** A copy with another request size bound in bytes. */
    public ServerOptions withMaxRequestBytes(int bytes) {
        return new ServerOptions(host, port, listenerName, bytes, maxInFlightPerConnection, ioThreads, security);
    }

    /** A copy with another in-flight bound per connection. */
    public ServerOptions withMaxInFlightPerConnection(int requests) {
        return new ServerOptions(host, port, listenerName, maxRequestBytes, requests, ioThreads, security);
    }

    /** A copy with another security setup. */
    public ServerOptions withSecurity(ListenerSecurity listenerSecurity) {
        return new ServerOptions(host, port, listenerName, maxRequestBytes, maxInFlightPerConnection, ioThreads,
                listenerSecurity);
    }
}
