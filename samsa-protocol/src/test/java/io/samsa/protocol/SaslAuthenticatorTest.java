package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SASL stage with kafka-clients' PLAIN server on a real socket: the principal handlers see, requests pipelined
 * behind the exchange, KIP-368 sessions and re-authentication, the SASL APIs outside an exchange.
 */
class SaslAuthenticatorTest {
    private static final Map<String, String> USERS = Map.of("alice", "alice-secret", "bob", "bob-secret");

    private final List<RequestContext> metadataContexts = new CopyOnWriteArrayList<>();
    private KafkaWireServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(ListenerSecurity security) throws InterruptedException {
        ApiRegistry registry = new ApiRegistry().register(TestHandlers.<MetadataRequestData>of(ApiKeys.METADATA,
                (ctx, req) -> {
                    metadataContexts.add(ctx);
                    return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId("sasl"));
                }));
        server = KafkaWireServer.start(new ServerOptions("127.0.0.1", 0, "SASL_PLAINTEXT", 1 << 20, 16, 1)
                .withSecurity(security), registry);
        return server.port();
    }

    private static ListenerSecurity sasl(long maxReauthMs) {
        SaslSettings settings = new SaslSettings(List.of("PLAIN"), (mechanism, client) -> {
            PlainSaslServer plain = new PlainSaslServer(SaslAuthenticatorTest::checkPassword);
            return new SaslSettings.Exchange(plain, () -> null, () -> null);
        }, maxReauthMs, 10, 1024, 5_000, ForkJoinPool.commonPool());
        return new ListenerSecurity(SecurityProtocol.SASL_PLAINTEXT, null, settings);
    }

    private static void checkPassword(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback plain) {
                plain.authenticated(new String(plain.password()).equals(USERS.get(user)));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private static SaslAuthenticateResponse login(WireClient client, String user, String password, short version,
                                                  int correlationId) throws IOException {
        RequestHeader handshake = client.send(ApiKeys.SASL_HANDSHAKE, (short) 1, correlationId,
                new SaslHandshakeRequestData().setMechanism("PLAIN"));
        assertThat(client.<SaslHandshakeResponse>receive(handshake).error()).isEqualTo(Errors.NONE);
        RequestHeader authenticate = client.send(ApiKeys.SASL_AUTHENTICATE, version, correlationId + 1,
                new SaslAuthenticateRequestData().setAuthBytes(("\0" + user + "\0" + password).getBytes()));
        return client.receive(authenticate);
    }

    private static MetadataResponse metadata(WireClient client, int correlationId) throws IOException {
        return client.receive(client.send(ApiKeys.METADATA, (short) 12, correlationId,
                new MetadataRequestData().setTopics(null)));
    }

    @Test
    void handlersSeeTheAuthenticatedPrincipal() throws Exception {
        try (WireClient client = new WireClient(start(sasl(0)))) {
            SaslAuthenticateResponse answer = login(client, "alice", "alice-secret", (short) 2, 1);

            assertThat(answer.error()).isEqualTo(Errors.NONE);
            assertThat(answer.sessionLifetimeMs()).isZero();
            assertThat(metadata(client, 3).data().clusterId()).isEqualTo("sasl");
            assertThat(metadataContexts.getFirst().principal())
                    .isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
            assertThat(metadataContexts.getFirst().securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
        }
    }

    @Test
    void aRequestPipelinedBehindSaslAuthenticateIsServedAsTheNewPrincipal() throws Exception {
        try (WireClient client = new WireClient(start(sasl(0)))) {
            RequestHeader handshake = client.send(ApiKeys.SASL_HANDSHAKE, (short) 1, 1,
                    new SaslHandshakeRequestData().setMechanism("PLAIN"));
            client.receive(handshake);
            // Both frames in one write: the Metadata request is decoded before the token is evaluated
            RequestHeader authenticate = WireClient.header(ApiKeys.SASL_AUTHENTICATE, (short) 2, 2);
            RequestHeader metadata = WireClient.header(ApiKeys.METADATA, (short) 12, 3);
            byte[] first = WireClient.frame(authenticate, new SaslAuthenticateRequestData()
                    .setAuthBytes("\0bob\0bob-secret".getBytes()), (short) 2);
            byte[] second = WireClient.frame(metadata, new MetadataRequestData().setTopics(null), (short) 12);
            byte[] both = new byte[first.length + second.length];
            System.arraycopy(first, 0, both, 0, first.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            client.sendRaw(both);

            assertThat(client.<SaslAuthenticateResponse>receive(authenticate).error()).isEqualTo(Errors.NONE);
            assertThat(client.<MetadataResponse>receive(metadata).data().clusterId()).isEqualTo("sasl");
            assertThat(metadataContexts.getFirst().principal().getName()).isEqualTo("bob");
        }
    }

    @Test
    void anExpiredSessionClosesOnAnyRequestButSaslHandshake() throws Exception {
        try (WireClient client = new WireClient(start(sasl(300)))) {
            SaslAuthenticateResponse answer = login(client, "alice", "alice-secret", (short) 2, 1);
            assertThat(answer.sessionLifetimeMs()).isEqualTo(300L);
            long authenticatedAt = System.nanoTime();

            await().pollDelay(Duration.ofMillis(350)).until(() -> System.nanoTime() - authenticatedAt > 320_000_000L);
            client.send(ApiKeys.METADATA, (short) 12, 3, new MetadataRequestData().setTopics(null));

            assertThat(client.closedByServer()).isTrue();
            assertThat(metadataContexts).isEmpty();
        }
    }

    @Test
    void reauthenticationKeepsThePrincipalOrIsRefused() throws Exception {
        try (WireClient client = new WireClient(start(sasl(60_000)))) {
            assertThat(login(client, "alice", "alice-secret", (short) 2, 1).error()).isEqualTo(Errors.NONE);
            // Same principal again: fine, and requests go on
            assertThat(login(client, "alice", "alice-secret", (short) 2, 3).sessionLifetimeMs()).isEqualTo(60_000L);
            assertThat(metadata(client, 5).data().clusterId()).isEqualTo("sasl");

            // Another principal: refused, then closed
            SaslAuthenticateResponse refused = login(client, "bob", "bob-secret", (short) 2, 6);

            assertThat(refused.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(refused.errorMessage())
                    .isEqualTo("Cannot change principals during re-authentication from User.alice: User.bob");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatAuthenticatedWithV0CannotReauthenticate() throws Exception {
        try (WireClient client = new WireClient(start(sasl(0)))) {
            assertThat(login(client, "alice", "alice-secret", (short) 0, 1).error()).isEqualTo(Errors.NONE);

            RequestHeader again = client.send(ApiKeys.SASL_HANDSHAKE, (short) 1, 3,
                    new SaslHandshakeRequestData().setMechanism("PLAIN"));

            assertThat(client.<SaslHandshakeResponse>receive(again).error()).isEqualTo(Errors.ILLEGAL_SASL_STATE);
            assertThat(metadata(client, 4).data().clusterId()).isEqualTo("sasl");
        }
    }

    @Test
    void aWrongPasswordIsAnsweredThenClosed() throws Exception {
        try (WireClient client = new WireClient(start(sasl(0)))) {
            SaslAuthenticateResponse refused = login(client, "alice", "nope", (short) 1, 1);

            assertThat(refused.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(refused.errorMessage()).isEqualTo("Authentication failed: Invalid username or password");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void onAPlaintextListenerTheSaslApisAnswerIllegalSaslState() throws Exception {
        try (WireClient client = new WireClient(start(ListenerSecurity.PLAINTEXT))) {
            RequestHeader handshake = client.send(ApiKeys.SASL_HANDSHAKE, (short) 1, 1,
                    new SaslHandshakeRequestData().setMechanism("PLAIN"));
            assertThat(client.<SaslHandshakeResponse>receive(handshake).error()).isEqualTo(Errors.ILLEGAL_SASL_STATE);
            assertThat(metadata(client, 2).data().clusterId()).isEqualTo("sasl");
            assertThat(metadataContexts.getFirst().principal()).isEqualTo(KafkaPrincipal.ANONYMOUS);
        }
    }
}
