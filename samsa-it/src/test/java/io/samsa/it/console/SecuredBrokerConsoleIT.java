package io.samsa.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.EmbeddedSamsa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with no PLAINTEXT listener does not serve the console (it would have to connect with credentials the HTTP
 * side cannot check): {@code /} answers with a page pointing to {@code samsa console --command-config} (ADR 0024).
 */
class SecuredBrokerConsoleIT {
    @TempDir
    Path dir;

    @Test
    void aBrokerWithoutAPlaintextListenerPointsToSamsaConsole() throws Exception {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                + "password=\"admin-secret\" user_admin=\"admin-secret\";";
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir.resolve("broker"), Map.of(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms", "PLAIN", "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas,
                "http.listeners", "http://127.0.0.1:0"))) {
            int port = samsa.broker().http().addresses().getFirst().getPort();
            HttpResponse<String> root = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(root.statusCode()).isEqualTo(404);
            assertThat(root.body()).contains("PLAINTEXT listener").contains("samsa console --bootstrap-server");
        }
    }
}
