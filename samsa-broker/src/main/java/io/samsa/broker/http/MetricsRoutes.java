package io.samsa.broker.http;

import com.sun.net.httpserver.HttpExchange;
import io.samsa.broker.metrics.BrokerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' routes on the HTTP listeners (docs/operations/metrics.md):
 *
 * <ul>
 *   <li>{@code GET /metrics}: every metric in Prometheus text 0.0.4, or OpenMetrics 1.0 when the {@code Accept}
 *       header asks for {@code application/openmetrics-text} (as Prometheus does); 404 when metrics are off;</li>
 *   <li>{@code GET /health/live}: 200 {@code ok} while the process serves HTTP;</li>
 *   <li>{@code GET /health/ready}: 200 {@code ready} once the Kafka listeners serve and the controller has unfenced
 *       this broker (it caught up with the metadata log); else 503 with the reason as text.</li>
 * </ul>
 * Other methods get 405, other paths 404. Runs on the HTTP listeners' own threads; a scrape may block there briefly
 * (reading the group coordinator), never a Kafka request thread.
 */
public final class MetricsRoutes {
    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsRoutes.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private MetricsRoutes() {
    }

    /**
     * Adds the routes to {@code http}.
     *
     * @param metrics   the broker's metrics, or null when off
     * @param readiness empty when ready, else why not (one short sentence)
     */
    public static void install(HttpListeners http, BrokerMetrics metrics, Supplier<Optional<String>> readiness) {
        http.route("/metrics", exchange -> serve(exchange, "/metrics", () -> {
            if (metrics == null) {
                respond(exchange, 404, TEXT, "metrics are off (samsa.metrics.enabled=false)\n");
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            String type = metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"), body);
            respond(exchange, 200, type, body.toByteArray());
        }));
        http.route("/health/live", exchange -> serve(exchange, "/health/live",
                () -> respond(exchange, 200, TEXT, "ok\n")));
        http.route("/health/ready", exchange -> serve(exchange, "/health/ready", () -> {
            Optional<String> notReady = readiness.get();
            if (notReady.isPresent()) {
                respond(exchange, 503, TEXT, "not ready: " + notReady.get() + "\n");
            } else {
                respond(exchange, 200, TEXT, "ready\n");
            }
        }));
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void serve(HttpExchange exchange, String path, Action action) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, TEXT, "not found\n");
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, TEXT, "method not allowed\n");
            } else {
                action.run();
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("HTTP {} {} failed: {}", exchange.getRequestMethod(), path, e.toString());
            LOGGER.debug("HTTP {} failed", path, e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        respond(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
