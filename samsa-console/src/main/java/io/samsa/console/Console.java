package io.samsa.console;

import com.sun.net.httpserver.HttpHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Samsa web console: server-rendered pages about any Kafka-protocol cluster (Samsa or Apache Kafka), reached only
 * through kafka-clients' Admin and Consumer with the given client properties. Mount {@link #handler()} at {@code /} on
 * a JDK {@code HttpServer} (the broker's {@code HttpListeners}, or the one {@code samsa console} starts).
 *
 * <p>Pages: cluster overview, topics (create, alter configs, add partitions, delete with confirmation), messages,
 * consumer groups (lag chart, reset offsets), ACLs, transactions. Changes are POST forms carrying a per-process CSRF
 * token; every value from the cluster is HTML-escaped; every cluster call is bounded ({@link Cluster#TIMEOUT_MS}).
 *
 * <p>Thread-safe: the handler serves concurrent requests. {@link #close()} stops the lag sampler and the Admin client.
 */
public final class Console implements AutoCloseable {
    private final Cluster cluster;
    private final LagHistory history;
    private final ConsoleHandler handler;

    private Console(Map<String, ?> clientProps, Clock clock) {
        this.cluster = new Cluster(clientProps);
        this.history = new LagHistory(cluster, clock);
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        this.handler = new ConsoleHandler(cluster, history, clock, HexFormat.of().formatHex(token));
    }

    /**
     * A console for the cluster {@code clientProps} reach: kafka-clients properties ({@code bootstrap.servers} and
     * any security settings). Nothing connects until the first page is served.
     */
    public static Console create(Map<String, ?> clientProps) {
        return new Console(clientProps, Clock.systemUTC());
    }

    /** The handler to mount at {@code /}. */
    public HttpHandler handler() {
        return handler;
    }

    @Override
    public void close() {
        history.close();
        cluster.close();
    }
}
