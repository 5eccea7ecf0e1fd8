package io.samsa.protocol;

/**
 * A Netty server speaking the Kafka wire protocol: length-prefixed frames bounded by
 * {@code socket.request.max.bytes}, header parsing and version checks, dispatch to the {@link ApiRegistry}'s
 * handlers, per-connection response ordering, and zero-copy encoding of file-backed records (sendfile through a
 * Netty {@code FileRegion}).
 *
 * <p>Thread-safe: start once, close once.
 */
public final class KafkaWireServer implements AutoCloseable {
    KafkaWireServer() {
    }

    /** Binds and starts serving. Throws if the port cannot be bound. */
    public static KafkaWireServer start(ServerOptions options, ApiRegistry registry) throws InterruptedException { throw new UnsupportedOperationException(); }

    /** The bound port (useful with port 0). */
    public int port() { throw new UnsupportedOperationException(); }

    /** Stops accepting, closes every connection and the event loops. */
    @Override
    public void close() { throw new UnsupportedOperationException(); }
}
