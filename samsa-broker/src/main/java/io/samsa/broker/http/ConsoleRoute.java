package io.samsa.broker.http;

import com.sun.net.httpserver.HttpExchange;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.console.Console;
import io.samsa.metadata.BrokerRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the web console ({@code samsa-console}) at {@code /} on the broker's HTTP listeners. The console is an
 * ordinary Kafka client of this broker, connecting as an anonymous client to the broker's first PLAINTEXT listener, so
 * it never has more rights than any client reaching that listener (with an authorizer, those of
 * {@code User:ANONYMOUS}). A broker without a PLAINTEXT listener serves, at {@code /}, a page saying so and pointing
 * to {@code samsa console --command-config} (which takes credentials).
 *
 * <p>Thread-safe; {@link #close} stops the console's lag sampler and Admin client.
 */
public final class ConsoleRoute implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsoleRoute.class);
    private final Console console;

    private ConsoleRoute(Console console) {
        this.console = console;
    }

    /** Routes {@code /} on {@code http} to a console for this broker; nothing when no HTTP listener is bound. */
    public static ConsoleRoute mount(HttpListeners http, BrokerConfig config, List<BrokerRegistration.Endpoint> endpoints) {
        if (http == null || http.addresses().isEmpty()) {
            return new ConsoleRoute(null);
        }
        Optional<BrokerRegistration.Endpoint> plaintext = endpoints.stream()
                .filter(e -> config.securityProtocol(e.listener()) == SecurityProtocol.PLAINTEXT).findFirst();
        if (plaintext.isEmpty()) {
            http.route("/", ConsoleRoute::noPlaintextListener);
            LOGGER.info("Web console not served: it needs a PLAINTEXT listener (use 'samsa console --command-config')");
            return new ConsoleRoute(null);
        }
        String bootstrap = plaintext.get().host() + ":" + plaintext.get().port();
        Console console = Console.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        http.route("/", console.handler());
        LOGGER.info("Web console at / on {} (a client of {})", http.addresses(), bootstrap);
        return new ConsoleRoute(console);
    }

    private static void noPlaintextListener(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Samsa console</title>"
                    + "</head><body><main><h1>Samsa console</h1><p>The built-in console connects to this broker's "
                    + "PLAINTEXT listener, and this broker has none. Run <code>samsa console --bootstrap-server HOST:PORT "
                    + "--command-config client.properties</code> with credentials instead.</p></main></body></html>\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        if (console != null) {
            console.close();
        }
    }
}
