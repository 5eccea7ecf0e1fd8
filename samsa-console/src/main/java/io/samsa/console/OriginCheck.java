package io.samsa.console;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses requests a web page on another site could make through the user's browser:
 *
 * <ul>
 *   <li>DNS rebinding: on a loopback listener, the {@code Host} header must name the loopback ({@code localhost},
 *       {@code 127.x.x.x}, {@code [::1]}); a page of {@code evil.example} whose name was rebound to 127.0.0.1 sends
 *       {@code Host: evil.example} and is refused, so it can neither read a page nor learn the CSRF token.</li>
 *   <li>Cross-site POSTs: a POST with an {@code Origin} header must come from this host and port.</li>
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class OriginCheck {
    private OriginCheck() {
    }

    /** Why the request is refused, or {@code null} when it is fine. */
    static String refusal(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (exchange.getLocalAddress().getAddress().isLoopbackAddress() && host != null && !isLoopbackName(hostPart(host))) {
            return "This console listens on the loopback interface and answers only to localhost, 127.0.0.1 or [::1] "
                    + "as the host name.";
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if ("POST".equals(exchange.getRequestMethod()) && origin != null && host != null) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                return "The request's Origin header is not a URL.";
            }
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            if (uri.getHost() == null || !originHost.equalsIgnoreCase(host)) {
                return "A form of another site (" + origin + ") cannot make changes here.";
            }
        }
        return null;
    }

    /** The host name of a {@code Host} header: without the port, brackets kept for IPv6. */
    static String hostPart(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")
                || host.matches("127(\\.\\d{1,3}){3}");
    }
}
