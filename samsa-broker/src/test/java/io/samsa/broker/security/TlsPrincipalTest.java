package io.samsa.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.ApiRegistry;
import io.samsa.protocol.KafkaWireServer;
import io.samsa.protocol.RequestContext;
import io.samsa.protocol.ServerOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The principal a TLS connection's requests carry: {@code User:<mapped DN>} with a client certificate
 * ({@code ssl.principal.mapping.rules}), {@code User:ANONYMOUS} without one, and a refused handshake when no rule
 * matches. Observed through a DescribeCluster handler that answers with its {@link RequestContext}'s principal, over a
 * real socket with kafka-clients' Admin.
 */
class TlsPrincipalTest {
    private static final String PW = "test-pw";
    @TempDir
    static Path dir;
    static TestPki.Identity ca;
    static Path serverStore;
    static Path trust;
    static Path aliceStore;
    static Path otherOrgStore;
    KafkaWireServer server;
    volatile int port;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestPki.ca("CN=Principal CA");
        serverStore = TestPki.keyStore(dir.resolve("server.p12"), "PKCS12", PW, PW,
                TestPki.issue(ca, "CN=localhost"));
        trust = TestPki.trustStore(dir.resolve("trust.p12"), "PKCS12", PW, ca);
        aliceStore = TestPki.keyStore(dir.resolve("alice.p12"), "PKCS12", PW, PW,
                TestPki.issue(ca, "CN=Alice,OU=Eng,O=Samsa"));
        otherOrgStore = TestPki.keyStore(dir.resolve("bob.p12"), "PKCS12", PW, PW,
                TestPki.issue(ca, "CN=Bob,O=Other"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String rules) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SSL://127.0.0.1:0");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", serverStore.toString());
        props.put("ssl.keystore.password", PW);
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", trust.toString());
        props.put("ssl.truststore.password", PW);
        props.put("ssl.client.auth", "requested");
        props.put("ssl.principal.mapping.rules", rules);
        BrokerConfig config = BrokerConfig.fromProperties(props);
        ApiRegistry registry = new ApiRegistry().register(new Metadata()).register(new WhoAmI());
        server = KafkaWireServer.start(new ServerOptions("127.0.0.1", 0, "SSL", 1 << 20, 10, 1)
                .withSecurity(ListenerSecurities.forListener(config, config.listeners().getFirst())), registry);
        port = server.port();
    }

    private String whoAmI(Path keyStore) throws Exception {
        return whoAmI(keyStore, 15_000);
    }

    private String whoAmI(Path keyStore, int timeoutMs) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        p.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", trust.toString());
        p.put("ssl.truststore.password", PW);
        if (keyStore != null) {
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", keyStore.toString());
            p.put("ssl.keystore.password", PW);
        }
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs * 2 / 3);
        try (Admin admin = Admin.create(p)) {
            return admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientCertificateBecomesTheMappedPrincipal() throws Exception {
        start("RULE:^CN=(.*?),OU=(.*?),O=(.*)$/$1@$3/L,DEFAULT");
        assertThat(whoAmI(aliceStore)).isEqualTo("User:alice@samsa SSL");
        // DEFAULT keeps the whole DN when no earlier rule matches
        assertThat(whoAmI(otherOrgStore)).isEqualTo("User:CN=Bob,O=Other SSL");
    }

    @Test
    void withoutAClientCertificateThePrincipalIsAnonymous() throws Exception {
        start("DEFAULT");
        assertThat(whoAmI(null)).isEqualTo("User:ANONYMOUS SSL");
    }

    @Test
    void aDnNoRuleMatchesFailsTheHandshake() throws Exception {
        start("RULE:^CN=(.*?),OU=Eng,O=Samsa$/$1/");
        assertThat(whoAmI(aliceStore)).isEqualTo("User:Alice SSL");
        // as Kafka, the connection is closed once the principal cannot be built: the client never gets an answer
        assertThatThrownBy(() -> whoAmI(otherOrgStore, 3_000)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void theJdkEngineServesTheSamePrincipals() throws Exception {
        // Given the JDK's TLS engine forced instead of OpenSSL
        System.setProperty(TlsContexts.PROVIDER_PROPERTY, "jdk");
        try {
            start("RULE:^CN=(.*?),OU=(.*?),O=(.*)$/$1@$3/L,DEFAULT");
        } finally {
            System.clearProperty(TlsContexts.PROVIDER_PROPERTY);
        }
        assertThat(TlsContexts.provider()).isNotNull();
        // Then the same clients get the same principals
        assertThat(whoAmI(aliceStore)).isEqualTo("User:alice@samsa SSL");
        assertThat(whoAmI(null)).isEqualTo("User:ANONYMOUS SSL");
    }

    /** One broker: this server. */
    private final class Metadata implements ApiHandler<MetadataRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.METADATA;
        }

        @Override
        public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
            MetadataResponseData data = new MetadataResponseData().setClusterId("tls").setControllerId(1);
            data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("127.0.0.1")
                    .setPort(port));
            return CompletableFuture.completedFuture(data);
        }
    }

    /** Answers with the request's principal and security protocol as the cluster id. */
    private final class WhoAmI implements ApiHandler<DescribeClusterRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_CLUSTER;
        }

        @Override
        public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                     DescribeClusterRequestData request) {
            DescribeClusterResponseData data = new DescribeClusterResponseData()
                    .setClusterId(context.principal() + " " + context.securityProtocol()).setControllerId(1);
            data.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker().setBrokerId(1)
                    .setHost("127.0.0.1").setPort(port));
            return CompletableFuture.completedFuture(data);
        }
    }
}
