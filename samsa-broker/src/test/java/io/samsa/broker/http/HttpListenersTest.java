package io.samsa.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP listeners: routes served on a real socket, explicit vs default bind failures. */
class HttpListenersTest {

    private static HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + address.getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesRoutesOnEveryListener() throws Exception {
        try (HttpListeners http = HttpListeners.start(List.of("http://127.0.0.1:0", "http://127.0.0.1:0"), true)) {
            http.route("/hello", exchange -> {
                byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });

            assertThat(http.addresses()).hasSize(2);
            for (InetSocketAddress address : http.addresses()) {
                assertThat(get(address, "/hello").body()).isEqualTo("hi");
                assertThat(get(address, "/other").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void aTakenPortStopsAnExplicitListenerButOnlySkipsTheDefault() {
        try (HttpListeners first = HttpListeners.start(List.of("http://127.0.0.1:0"), true)) {
            String taken = "http://127.0.0.1:" + first.addresses().getFirst().getPort();

            assertThatThrownBy(() -> HttpListeners.start(List.of(taken), true))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("http.listeners");
            try (HttpListeners skipped = HttpListeners.start(List.of(taken), false)) {
                assertThat(skipped.addresses()).isEmpty();
            }
        }
    }

    @Test
    void noListenersWhenEmptyAndBadUrlsAreRefused() {
        try (HttpListeners none = HttpListeners.start(List.of(), true)) {
            assertThat(none.addresses()).isEmpty();
        }
        assertThatThrownBy(() -> HttpListeners.start(List.of("https://localhost:9644"), true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
