package io.samsa.broker;

import io.samsa.broker.config.BrokerConfig;

/**
 * One Samsa node: the metadata quorum member, the log manager, the partition manager and the Kafka listener, wired
 * together. {@code samsa server} starts one; the integration tests start several in one JVM.
 *
 * <p>Thread-safe: start once, close once.
 */
public final class SamsaBroker implements AutoCloseable {
    SamsaBroker() {
    }

    /** Recovers the logs and the metadata, registers the broker, then binds the listener. */
    public static SamsaBroker start(BrokerConfig config) throws Exception { throw new UnsupportedOperationException(); }

    /** The bound port of the first listener (useful with port 0). */
    public int port() { throw new UnsupportedOperationException(); }

    /** "host:port" clients can bootstrap from. */
    public String bootstrapServers() { throw new UnsupportedOperationException(); }

    /** Blocks until {@link #close()} has run. */
    public void awaitShutdown() throws InterruptedException { throw new UnsupportedOperationException(); }

    /** Stops the listener, flushes and closes the logs cleanly (writing the clean-shutdown marker), then the quorum. */
    @Override
    public void close() { throw new UnsupportedOperationException(); }
}
