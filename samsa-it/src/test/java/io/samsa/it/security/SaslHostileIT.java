package io.samsa.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.it.EmbeddedSamsa;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real clients never send, on raw sockets against a SASL_PLAINTEXT listener: requests before authentication,
 * an unsupported mechanism, oversized tokens, a handshake left hanging (closed after {@code connections.max.idle.ms},
 * 3 s here), SCRAM with a wrong nonce and a replayed client-final message. Each ends in a closed connection.
 */
class SaslHostileIT {
    static final long IDLE_MS = 3_000;

    @TempDir
    static Path dir;
    static EmbeddedSamsa samsa;
    static String sasl;

    @BeforeAll
    static void startBroker() throws Exception {
        Map<String, String> config = new HashMap<>(SaslIT.brokerConfig(dir.resolve("jwks.json")));
        TestJwts.publishedAt(dir.resolve("jwks.json"));
        config.put("connections.max.idle.ms", Long.toString(IDLE_MS));
        samsa = EmbeddedSamsa.start(dir.resolve("broker"), config);
        sasl = samsa.broker().bootstrapServers(SaslIT.LISTENER);
        SaslIT.samsa = samsa;
        SaslIT.addScramUser("bob", "bob-secret", "SCRAM-SHA-256");
    }

    @AfterAll
    static void stopBroker() {
        SaslIT.samsa = null;
        if (samsa != null) {
            samsa.close();
        }
        System.clearProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls");
    }

    private static SaslHandshakeResponse handshake(RawKafkaSocket socket, String mechanism) throws Exception {
        RequestHeader header = socket.send(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism(mechanism)).build((short) 1));
        return (SaslHandshakeResponse) socket.receive(header);
    }

    private static SaslAuthenticateResponse authenticate(RawKafkaSocket socket, byte[] token) throws Exception {
        RequestHeader header = socket.send(new SaslAuthenticateRequest.Builder(
                new SaslAuthenticateRequestData().setAuthBytes(token)).build((short) 2));
        return (SaslAuthenticateResponse) socket.receive(header);
    }

    @Test
    void aSaslHandshakeV0ClientAuthenticatesWithBareTokens() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            // Given the KIP-43 framing: SaslHandshake v0, then the PLAIN token as a bare frame
            RequestHeader header = socket.send(new SaslHandshakeRequest.Builder(
                    new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 0));
            assertThat(((SaslHandshakeResponse) socket.receive(header)).error()).isEqualTo(Errors.NONE);
            byte[] token = "\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8);
            socket.sendRaw(ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token).array());

            // Then the answer is a bare (empty) frame, and Kafka requests are served afterwards
            assertThat(socket.receiveRaw()).isEmpty();
            RequestHeader metadata = socket.send(new MetadataRequest.Builder(new MetadataRequestData()
                    .setTopics(null)).build((short) 12));
            assertThat(socket.receive(metadata).errorCounts()).doesNotContainKey(Errors.SASL_AUTHENTICATION_FAILED);
        }
    }

    @Test
    void aWrongBareV0TokenIsClosedWithoutAnswer() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            RequestHeader header = socket.send(new SaslHandshakeRequest.Builder(
                    new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 0));
            assertThat(((SaslHandshakeResponse) socket.receive(header)).error()).isEqualTo(Errors.NONE);
            byte[] token = "\0alice\0wrong".getBytes(StandardCharsets.UTF_8);
            socket.sendRaw(ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token).array());

            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aMetadataRequestBeforeAuthenticationIsClosedUnanswered() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            // ApiVersions is served before authentication
            RequestHeader versions = socket.send(new ApiVersionsRequest.Builder().build((short) 3));
            ApiVersionsResponse answer = (ApiVersionsResponse) socket.receive(versions);
            assertThat(answer.data().errorCode()).isZero();
            assertThat(answer.data().apiKeys().find((short) 17)).isNotNull();

            socket.send(new MetadataRequest.Builder(new MetadataRequestData().setTopics(null)).build((short) 12));

            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void anUnsupportedMechanismIsAnsweredWithTheEnabledListThenClosed() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            SaslHandshakeResponse answer = handshake(socket, "DIGEST-MD5");

            assertThat(answer.error()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
            assertThat(answer.data().mechanisms())
                    .containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");
            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aTokenAboveSaslServerMaxReceiveSizeClosesTheConnection() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            assertThat(handshake(socket, "PLAIN").error()).isEqualTo(Errors.NONE);

            // A frame announcing 600 000 bytes (> 524 288): refused as soon as the size is read
            socket.sendRaw(ByteBuffer.allocate(4 + 64).putInt(600_000).array());

            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aHandshakeLeftHangingIsClosedWithinConnectionsMaxIdleMs() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            assertThat(handshake(socket, "SCRAM-SHA-256").error()).isEqualTo(Errors.NONE);

            // Then nothing: the broker closes it after connections.max.idle.ms (3 s), well within 20 s
            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void scramWithAWrongNonceIsRefused() throws Exception {
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            assertThat(handshake(socket, "SCRAM-SHA-256").error()).isEqualTo(Errors.NONE);
            ScramMessages.ClientFirstMessage first = new ScramMessages.ClientFirstMessage("bob", "clientnonce", Map.of());
            SaslAuthenticateResponse serverFirst = authenticate(socket, first.toBytes());
            assertThat(serverFirst.error()).isEqualTo(Errors.NONE);

            ScramMessages.ClientFinalMessage last = new ScramMessages.ClientFinalMessage(
                    "n,,".getBytes(StandardCharsets.UTF_8), "clientnonce-not-the-servers");
            last.proof(new byte[32]);
            SaslAuthenticateResponse refused = authenticate(socket, last.toBytes());

            assertThat(refused.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(refused.errorMessage()).contains("invalid credentials with SASL mechanism SCRAM-SHA-256");
            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aReplayedScramFinalMessageIsRefused() throws Exception {
        ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_256);
        ScramMessages.ClientFirstMessage first = new ScramMessages.ClientFirstMessage("bob", "samenonce", Map.of());
        byte[] recorded;
        // Given a valid exchange on one connection, recorded
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            assertThat(handshake(socket, "SCRAM-SHA-256").error()).isEqualTo(Errors.NONE);
            ScramMessages.ServerFirstMessage serverFirst =
                    new ScramMessages.ServerFirstMessage(authenticate(socket, first.toBytes()).saslAuthBytes());
            ScramMessages.ClientFinalMessage last = new ScramMessages.ClientFinalMessage(
                    "n,,".getBytes(StandardCharsets.UTF_8), serverFirst.nonce());
            byte[] salted = formatter.saltedPassword("bob-secret", serverFirst.salt(), serverFirst.iterations());
            last.proof(formatter.clientProof(salted, first, serverFirst, last));
            recorded = last.toBytes();
            SaslAuthenticateResponse accepted = authenticate(socket, recorded);
            assertThat(accepted.error()).isEqualTo(Errors.NONE);
        }
        // When it is replayed on another connection with the same client nonce
        try (RawKafkaSocket socket = new RawKafkaSocket(sasl)) {
            assertThat(handshake(socket, "SCRAM-SHA-256").error()).isEqualTo(Errors.NONE);
            assertThat(authenticate(socket, first.toBytes()).error()).isEqualTo(Errors.NONE);
            SaslAuthenticateResponse refused = authenticate(socket, recorded);

            // Then the server's fresh nonce does not match: refused and closed
            assertThat(refused.error()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(socket.closedWithoutAnswer(Duration.ofSeconds(10))).isTrue();
        }
    }
}
