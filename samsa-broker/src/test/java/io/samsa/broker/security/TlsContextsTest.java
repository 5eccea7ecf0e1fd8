package io.samsa.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import io.samsa.broker.config.SslConfigDefs;
import io.samsa.protocol.ListenerSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ssl.* key of an SSL listener, and every error naming its key. */
class TlsContextsTest {
    @TempDir
    static Path dir;
    static TestPki.Identity ca;
    static TestPki.Identity server;
    static Path p12;
    static Path jks;
    static Path pem;
    static Path trustJks;
    static Path caPem;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestPki.ca("CN=Test CA");
        server = TestPki.issue(ca, "CN=localhost,O=Samsa");
        p12 = TestPki.keyStore(dir.resolve("server.p12"), "PKCS12", "store-pw", "store-pw", server);
        jks = TestPki.keyStore(dir.resolve("server.jks"), "JKS", "store-pw", "key-pw", server);
        pem = TestPki.write(dir.resolve("server.pem"), TestPki.pemKeyAndChain(server));
        trustJks = TestPki.trustStore(dir.resolve("trust.jks"), "JKS", "trust-pw", ca);
        caPem = TestPki.write(dir.resolve("ca.pem"), TestPki.pemCertificates(ca.certificate()));
    }

    private static Map<String, String> ssl(Map<String, String> keys) {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SSL://127.0.0.1:0,PLAINTEXT://127.0.0.1:0");
        props.putAll(keys);
        return props;
    }

    private static ListenerSecurity security(Map<String, String> props) {
        BrokerConfig config = BrokerConfig.fromProperties(props);
        return ListenerSecurities.forListener(config, config.listeners().getFirst());
    }

    private static Map<String, String> p12Keys() {
        return Map.of("ssl.keystore.type", "PKCS12", "ssl.keystore.location", p12.toString(),
                "ssl.keystore.password", "store-pw");
    }

    private static void failsOn(Map<String, String> props, String key) {
        assertThatThrownBy(() -> security(props)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).as(e.getMessage()).isEqualTo(key))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("store-pw", "key-pw", "trust-pw")
                        .doesNotContain("\n"));
    }

    @Test
    void pkcs12JksAndPemKeyStoresMakeAnSslListener() throws Exception {
        assertThat(security(ssl(p12Keys())).protocol()).isEqualTo(SecurityProtocol.SSL);
        assertThat(security(ssl(Map.of("ssl.keystore.location", jks.toString(), "ssl.keystore.password", "store-pw",
                "ssl.key.password", "key-pw"))).tls()).isNotNull();
        assertThat(security(ssl(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", pem.toString())))
                .tls()).isNotNull();
        assertThat(security(ssl(Map.of("ssl.keystore.type", "PEM",
                "ssl.keystore.key", TestPki.pemKey(server),
                "ssl.keystore.certificate.chain", TestPki.pemCertificates(server.chain()),
                "ssl.truststore.type", "PEM", "ssl.truststore.certificates", Files.readString(caPem),
                "ssl.client.auth", "required"))).tls()).isNotNull();
    }

    @Test
    void plaintextListenersStayPlaintextAndTheMapDecides() {
        Map<String, String> props = ssl(p12Keys());
        BrokerConfig config = BrokerConfig.fromProperties(props);
        assertThat(ListenerSecurities.forListener(config, config.listeners().get(1))).isSameAs(ListenerSecurity.PLAINTEXT);
        Map<String, String> mapped = new HashMap<>(p12Keys());
        mapped.put("listeners", "CLIENTS://127.0.0.1:0,INTERNAL://127.0.0.1:0");
        mapped.put("listener.security.protocol.map", "CLIENTS:SSL,INTERNAL:PLAINTEXT");
        mapped.put("inter.broker.listener.name", "INTERNAL");
        BrokerConfig named = BrokerConfig.fromProperties(mapped);
        assertThat(ListenerSecurities.forListener(named, named.listeners().get(0)).protocol())
                .isEqualTo(SecurityProtocol.SSL);
        assertThat(named.securityProtocol("internal")).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(named.unknownKeys()).isEmpty();
    }

    @Test
    void listenerOverridesWin() {
        Map<String, String> props = ssl(Map.of("ssl.keystore.location", "/nonexistent",
                "listener.name.ssl.ssl.keystore.location", p12.toString(),
                "listener.name.ssl.ssl.keystore.type", "PKCS12", "ssl.keystore.password", "store-pw"));
        assertThat(security(props).tls()).isNotNull();
    }

    @Test
    void keyStoreErrorsNameTheirKey() throws Exception {
        failsOn(ssl(Map.of()), "ssl.keystore.location");
        failsOn(ssl(Map.of("ssl.keystore.location", dir.resolve("missing.p12").toString(),
                "ssl.keystore.password", "store-pw")), "ssl.keystore.location");
        failsOn(ssl(Map.of("ssl.keystore.type", "PKCS12", "ssl.keystore.location", p12.toString())),
                "ssl.keystore.password");
        failsOn(ssl(Map.of("ssl.keystore.type", "PKCS12", "ssl.keystore.location", p12.toString(),
                "ssl.keystore.password", "wrong")), "ssl.keystore.password");
        failsOn(ssl(Map.of("ssl.keystore.location", jks.toString(), "ssl.keystore.password", "store-pw")),
                "ssl.keystore.password");
        failsOn(ssl(Map.of("ssl.keystore.location", jks.toString(), "ssl.keystore.password", "store-pw",
                "ssl.key.password", "wrong")), "ssl.key.password");
        failsOn(ssl(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", pem.toString(),
                "ssl.keystore.password", "store-pw")), "ssl.keystore.password");
        failsOn(ssl(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.location", caPem.toString())),
                "ssl.keystore.location");
        failsOn(ssl(Map.of("ssl.keystore.type", "PEM", "ssl.keystore.key", TestPki.pemKey(server))),
                "ssl.keystore.certificate.chain");
        failsOn(ssl(Map.of("ssl.keystore.type", "PEM",
                "ssl.keystore.certificate.chain", TestPki.pemCertificates(server.chain()))), "ssl.keystore.key");
        failsOn(ssl(Map.of("ssl.keystore.key", TestPki.pemKey(server),
                "ssl.keystore.certificate.chain", TestPki.pemCertificates(server.chain()))), "ssl.keystore.key");
        failsOn(ssl(Map.of("ssl.keystore.location", trustJks.toString(), "ssl.keystore.password", "trust-pw")),
                "ssl.keystore.location");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(ssl(Map.of("ssl.keystore.type", "BKS"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.keystore.type");
    }

    @Test
    void trustStoreErrorsNameTheirKey() {
        Map<String, String> base = new HashMap<>(p12Keys());
        base.put("ssl.truststore.location", dir.resolve("nope.jks").toString());
        failsOn(ssl(base), "ssl.truststore.location");
        base.put("ssl.truststore.location", trustJks.toString());
        base.put("ssl.truststore.password", "wrong");
        failsOn(ssl(base), "ssl.truststore.password");
        base.put("ssl.truststore.password", "trust-pw");
        assertThat(security(ssl(base)).tls()).isNotNull();
        Map<String, String> pemTrust = new HashMap<>(p12Keys());
        pemTrust.putAll(Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", caPem.toString(),
                "ssl.truststore.password", "trust-pw"));
        failsOn(ssl(pemTrust), "ssl.truststore.password");
        pemTrust.remove("ssl.truststore.password");
        assertThat(security(ssl(pemTrust)).tls()).isNotNull();
        pemTrust.put("ssl.truststore.location", p12.toString());
        failsOn(ssl(pemTrust), "ssl.truststore.location");
        Map<String, String> inlineJks = new HashMap<>(p12Keys());
        inlineJks.put("ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----");
        failsOn(ssl(inlineJks), "ssl.truststore.certificates");
        Map<String, String> passwordOnly = new HashMap<>(p12Keys());
        passwordOnly.put("ssl.truststore.password", "trust-pw");
        failsOn(ssl(passwordOnly), "ssl.truststore.location");
    }

    @Test
    void protocolCipherClientAuthAndMappingKeys() {
        Map<String, String> props = new HashMap<>(p12Keys());
        props.put("ssl.enabled.protocols", "TLSv1.3");
        props.put("ssl.protocol", "TLSv1.2");
        props.put("ssl.cipher.suites", "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384");
        props.put("ssl.client.auth", "requested");
        props.put("ssl.principal.mapping.rules", "RULE:^CN=(.*?),O=(.*)$/$1@$2/L,DEFAULT");
        assertThat(security(ssl(props)).tls().principalNameFromDn().apply("CN=Alice,O=Samsa"))
                .isEqualTo("alice@samsa");
        assertThat(security(ssl(p12Keys())).tls().principalNameFromDn().apply("CN=Bob,O=Samsa"))
                .isEqualTo("CN=Bob,O=Samsa");

        failsOn(ssl(with(p12Keys(), "ssl.enabled.protocols", "TLSv9")), "ssl.enabled.protocols");
        failsOn(ssl(with(p12Keys(), "ssl.protocol", "NotTLS")), "ssl.protocol");
        failsOn(ssl(with(p12Keys(), "ssl.cipher.suites", "TLS_NO_SUCH_CIPHER")), "ssl.cipher.suites");
        failsOn(ssl(with(p12Keys(), "ssl.principal.mapping.rules", "RULE:broken")), "ssl.principal.mapping.rules");
        assertThatThrownBy(() -> BrokerConfig.fromProperties(ssl(with(p12Keys(), "ssl.client.auth", "sometimes"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.client.auth");
        failsOn(ssl(with(p12Keys(), "listener.name.ssl.ssl.client.auth", "sometimes")), "ssl.client.auth");
    }

    @Test
    void onSaslSslListenersOnlyThePrefixedClientAuthCounts() {
        // SaslListenerSettings is another part's; this checks the TLS side through TlsContexts directly
        Map<String, String> props = new HashMap<>(p12Keys());
        props.put("listeners", "SASL_SSL://127.0.0.1:0");
        props.put("ssl.client.auth", "required");
        BrokerConfig config = BrokerConfig.fromProperties(props);
        assertThat(TlsContexts.server(config, "SASL_SSL").context().isServer()).isTrue();
        props.put("listener.name.sasl_ssl.ssl.client.auth", "bogus");
        assertThatThrownBy(() -> TlsContexts.server(BrokerConfig.fromProperties(props), "SASL_SSL"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.client.auth");
    }

    @Test
    void passwordsAndKeysAreSensitive() {
        assertThat(SslConfigDefs.isSensitive("ssl.keystore.password")).isTrue();
        assertThat(SslConfigDefs.isSensitive("listener.name.ssl.ssl.key.password")).isTrue();
        assertThat(SslConfigDefs.isSensitive("ssl.keystore.key")).isTrue();
        assertThat(SslConfigDefs.isSensitive("ssl.keystore.location")).isFalse();
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
