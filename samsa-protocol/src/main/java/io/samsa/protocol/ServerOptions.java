package io.samsa.protocol;

/**
 * Network settings of the Kafka listener.
 *
 * @param host                  interface to bind ("" or "0.0.0.0" for all)
 * @param port                  port to bind; 0 picks a free one (see {@link KafkaWireServer#port()})
 * @param listenerName          e.g. PLAINTEXT
 * @param maxRequestBytes       {@code socket.request.max.bytes}: larger size prefixes close the connection before
 *                              any allocation (default 104857600)
 * @param maxInFlightPerConnection requests decoded but not yet answered before reading from the connection pauses
 * @param ioThreads             Netty event loop threads ({@code num.network.threads}, default 3)
 */
public record ServerOptions(String host, int port, String listenerName, int maxRequestBytes,
                            int maxInFlightPerConnection, int ioThreads) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
}
