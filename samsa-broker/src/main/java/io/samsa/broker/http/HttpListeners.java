package io.samsa.broker.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP listeners ({@code http.listeners}, default {@code http://localhost:9644}, empty = none): metrics
 * ({@code /metrics}), health ({@code /health/*}) and the web console ({@code /}) are routes on them. Served by the JDK's
 * {@code com.sun.net.httpserver} on a small daemon pool of its own, never on a Netty event loop or the I/O pool.
 *
 * <p>A listener given explicitly that cannot bind stops start-up; the default one, when its port is taken (another
 * broker on the machine), is skipped with a WARN so that a zero-config second broker still starts (ADR 0022).
 *
 * <p>Thread-safe: routes are added once the listeners are bound; {@link #close} stops every listener.
 */
public final class HttpListeners implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpListeners.class);
    private static final int THREADS = 2;

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor;

    private HttpListeners(ExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Binds every listener of {@code urls} ({@code http://host:port}; port 0 picks a free one).
     *
     * @param explicit whether {@code http.listeners} was set (a bind failure then stops start-up)
     * @throws UncheckedIOException if an explicit listener cannot bind
     * @throws IllegalArgumentException for a URL that is not {@code http://host:port}
     */
    public static HttpListeners start(List<String> urls, boolean explicit) {
        AtomicInteger counter = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "samsa-http-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpListeners listeners = new HttpListeners(executor);
        for (String url : urls) {
            InetSocketAddress address = address(url);
            try {
                HttpServer server = HttpServer.create(address, 64);
                server.setExecutor(executor);
                server.start();
                listeners.servers.add(server);
                LOGGER.info("HTTP listener bound to {} (metrics /metrics, health /health/live and /health/ready)",
                        server.getAddress());
            } catch (IOException e) {
                if (explicit) {
                    listeners.close();
                    throw new UncheckedIOException("Cannot bind HTTP listener " + url + " (http.listeners)", e);
                }
                LOGGER.warn("HTTP listener {} not started: {} (another broker on this machine? set http.listeners)",
                        url, e.getMessage());
            }
        }
        return listeners;
    }

    private static InetSocketAddress address(String url) {
        URI uri = URI.create(url.trim());
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("Not an http://host:port URL: " + url);
        }
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** Serves every path starting with {@code prefix} (e.g. {@code /metrics}) with {@code handler}, on each listener. */
    public synchronized void route(String prefix, HttpHandler handler) {
        for (HttpServer server : servers) {
            server.createContext(prefix, handler);
        }
    }

    /** The bound addresses (with the real ports), in configuration order; empty when none is bound. */
    public synchronized List<InetSocketAddress> addresses() {
        return servers.stream().map(HttpServer::getAddress).toList();
    }

    @Override
    public synchronized void close() {
        servers.forEach(server -> server.stop(0));
        servers.clear();
        executor.shutdownNow();
    }
}
