package io.samsa.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.EmbeddedSamsa;
import io.samsa.it.tls.TestPki;
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
        TestPki.Identity ca = TestPki.ca("CN=Console Test CA");
        Path keyStore = TestPki.write(dir.resolve("broker.pem"), TestPki.pemKeyAndChain(TestPki.issue(ca, "CN=localhost")));
        Path trust = TestPki.write(dir.resolve("ca.pem"), TestPki.pemCertificates(ca.certificate()));
        try (EmbeddedSamsa samsa = EmbeddedSamsa.start(dir.resolve("broker"), Map.of(
                "listeners", "SSL://127.0.0.1:0", "listener.security.protocol.map", "SSL:SSL",
                "inter.broker.listener.name", "SSL",
                "ssl.keystore.type", "PEM", "ssl.keystore.location", keyStore.toString(),
                "ssl.truststore.type", "PEM", "ssl.truststore.location", trust.toString(),
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
