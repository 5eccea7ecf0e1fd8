package io.samsa.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes console requests to the pages, checks the Host and Origin headers ({@link OriginCheck}) and the CSRF token of
 * every POST, and writes responses with headers that
 * keep the pages self-contained: a Content-Security-Policy allowing only this origin's images, inline styles and the
 * one inline script (by hash), no caching, no referrer to other sites. A failing cluster call becomes the page with an error notice
 * (GET, status 502) or a redirect back with the error (POST); a malformed parameter a 400 page.
 *
 * <p>Thread-safe; runs on the HTTP server's threads, each request bounded by the cluster calls' timeouts.
 */
final class ConsoleHandler implements HttpHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsoleHandler.class);
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src '"
            + sha256(GroupPage.LIVE_SCRIPT) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final String csrfToken;
    private final ClusterPage clusterPage;
    private final TopicsPage topicsPage;
    private final TopicPage topicPage;
    private final MessagesPage messagesPage;
    private final GroupsPage groupsPage;
    private final GroupPage groupPage;
    private final AclsPage aclsPage;
    private final TransactionsPage transactionsPage;

    ConsoleHandler(Cluster cluster, LagHistory history, Clock clock, String csrfToken) {
        this.csrfToken = csrfToken;
        this.clusterPage = new ClusterPage(cluster);
        this.topicsPage = new TopicsPage(cluster, csrfToken);
        this.topicPage = new TopicPage(cluster, csrfToken);
        this.messagesPage = new MessagesPage(cluster);
        this.groupsPage = new GroupsPage(cluster);
        this.groupPage = new GroupPage(cluster, history, clock, csrfToken);
        this.aclsPage = new AclsPage(cluster);
        this.transactionsPage = new TransactionsPage(cluster);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                send(exchange, new Response.Page(405, Html.page("Method not allowed", "", null, "")));
                return;
            }
            String refusal = OriginCheck.refusal(exchange);
            if (refusal != null) {
                send(exchange, new Response.Page(403, Html.page("Forbidden", "", Html.Notice.error(refusal), "")));
                return;
            }
            String body = method.equals("POST") ? readBody(exchange.getRequestBody()) : null;
            if (body == null && method.equals("POST")) {
                send(exchange, new Response.Page(413, Html.page("Form too large", "", null, "")));
                return;
            }
            Request request = Request.of(method, exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), body);
            send(exchange, respond(request));
        }
    }

    private Response respond(Request request) {
        if (request.isPost() && !MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                request.param("csrf").getBytes(StandardCharsets.UTF_8))) {
            return new Response.Page(403, Html.page("Forbidden", "", Html.Notice.error(
                    "The form's security token is missing or stale (the console restarted?): reload the page and retry."),
                    ""));
        }
        try {
            Response response = route(request);
            return response != null ? response
                    : new Response.Page(404, Html.page("Not found", "", Html.Notice.error("No such page."), ""));
        } catch (Cluster.ClusterException | org.apache.kafka.common.KafkaException e) {
            String message = e instanceof Cluster.ClusterException ? e.getMessage() : Cluster.describe(e);
            if (request.isPost()) {
                return new Response.Redirect(back(request.segments()) + "?err=" + Html.url(message));
            }
            return new Response.Page(502, Html.page("Cluster error", "", Html.Notice.error(message), ""));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            String message = "Invalid input: " + e.getMessage();
            if (request.isPost()) {
                return new Response.Redirect(back(request.segments()) + "?err=" + Html.url(message));
            }
            return new Response.Page(400, Html.page("Invalid input", "", Html.Notice.error(message), ""));
        } catch (RuntimeException e) {
            LOGGER.warn("Console request {} {} failed", request.method(), request.segments(), e);
            return new Response.Page(500, Html.page("Error", "", Html.Notice.error(Cluster.describe(e)), ""));
        }
    }

    /** The page for {@code request}, or null for an unknown path. */
    private Response route(Request r) {
        List<String> s = r.segments();
        boolean get = !r.isPost();
        if (s.isEmpty()) {
            return get ? clusterPage.render(r) : null;
        }
        return switch (s.getFirst()) {
            case "topics" -> switch (s.size()) {
                case 1 -> get ? topicsPage.render(r) : topicsPage.create(r);
                case 2 -> get ? topicPage.render(r, s.get(1)) : null;
                case 3 -> switch (s.get(2)) {
                    case "delete" -> get ? topicPage.confirmDelete(r, s.get(1)) : topicPage.delete(r, s.get(1));
                    case "config" -> get ? null : topicPage.alterConfig(r, s.get(1));
                    case "partitions" -> get ? null : topicPage.addPartitions(r, s.get(1));
                    default -> null;
                };
                default -> null;
            };
            case "messages" -> get && s.size() == 1 ? messagesPage.render(r) : null;
            case "groups" -> switch (s.size()) {
                case 1 -> get ? groupsPage.render(r) : null;
                case 2 -> get ? groupPage.render(r, s.get(1)) : null;
                case 3 -> switch (s.get(2)) {
                    case "lag.svg" -> get ? groupPage.chart(s.get(1)) : null;
                    case "reset" -> get ? null : groupPage.reset(r, s.get(1));
                    default -> null;
                };
                default -> null;
            };
            case "acls" -> get && s.size() == 1 ? aclsPage.render(r) : null;
            case "transactions" -> get && s.size() == 1 ? transactionsPage.render(r) : null;
            default -> null;
        };
    }

    /** Where a failed POST goes back to: the page holding its form. */
    private static String back(List<String> segments) {
        if (segments.size() == 3 && segments.get(2).equals("delete")) {
            return "/" + segments.get(0) + "/" + Html.url(segments.get(1)) + "/delete";
        }
        if (segments.size() >= 2) {
            return "/" + segments.get(0) + "/" + Html.url(segments.get(1));
        }
        return "/" + (segments.isEmpty() ? "" : segments.getFirst());
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin"); // no-referrer would make same-origin POSTs send "Origin: null"
        headers.set("Content-Security-Policy", CSP);
        switch (response) {
            case Response.Redirect redirect -> {
                headers.set("Location", redirect.location());
                exchange.sendResponseHeaders(303, -1);
            }
            case Response.Page page -> write(exchange, page.status(), "text/html; charset=utf-8", page.html());
            case Response.Svg svg -> write(exchange, 200, "image/svg+xml; charset=utf-8", svg.svg());
        }
    }

    private static void write(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The body as UTF-8, or null when it is larger than {@link Request#MAX_BODY_BYTES}. */
    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(Request.MAX_BODY_BYTES + 1);
        return bytes.length > Request.MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String sha256(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
