package io.samsa.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ScramServer} against kafka-clients' own SCRAM client, and the nonces it must refuse or accept. */
class ScramServerTest {

    private static ScramCredentials bob(String mechanism) throws Exception {
        ScramCredential credential = new ScramFormatter(ScramMechanism.forMechanismName(mechanism))
                .generateCredential("bob-secret", 4096);
        return (user, m) -> user.equals("bob") && m.equals(mechanism) ? Optional.of(credential) : Optional.empty();
    }

    private static SaslClient client(String mechanism, String user, String password) throws Exception {
        return new ScramSaslClient(ScramMechanism.forMechanismName(mechanism), callbacks -> {
            for (Callback callback : callbacks) {
                switch (callback) {
                    case NameCallback name -> name.setName(user);
                    case PasswordCallback pw -> pw.setPassword(password.toCharArray());
                    case ScramExtensionsCallback extensions -> extensions.extensions(Map.of());
                    default -> throw new IllegalStateException(callback.toString());
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void kafkaClientsScramClientAuthenticates(String mechanism) throws Exception {
        ScramServer server = new ScramServer(mechanism, bob(mechanism));
        SaslClient client = client(mechanism, "bob", "bob-secret");

        byte[] serverFirst = server.evaluateResponse(client.evaluateChallenge(new byte[0]));
        byte[] serverFinal = server.evaluateResponse(client.evaluateChallenge(serverFirst));
        client.evaluateChallenge(serverFinal); // the client verifies the server signature

        assertThat(server.isComplete()).isTrue();
        assertThat(client.isComplete()).isTrue();
        assertThat(server.getAuthorizationID()).isEqualTo("bob");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob-wrong", ""})
    void aWrongPasswordIsRefused(String password) throws Exception {
        ScramServer server = new ScramServer("SCRAM-SHA-256", bob("SCRAM-SHA-256"));
        SaslClient client = client("SCRAM-SHA-256", "bob", password.isEmpty() ? "x" : password);
        byte[] serverFirst = server.evaluateResponse(client.evaluateChallenge(new byte[0]));

        assertThatThrownBy(() -> server.evaluateResponse(client.evaluateChallenge(serverFirst)))
                .isInstanceOf(SaslException.class).hasMessage("Invalid client credentials");
        assertThat(server.isComplete()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void anUnknownUserIsRefusedAtTheFirstMessage(String mechanism) throws Exception {
        ScramServer server = new ScramServer(mechanism, bob(mechanism));
        SaslClient client = client(mechanism, "mallory", "x");

        assertThatThrownBy(() -> server.evaluateResponse(client.evaluateChallenge(new byte[0])))
                .isInstanceOf(SaslException.class).hasMessage("Authentication failed: Invalid user credentials");
        assertThat(server.claimedName()).isEqualTo("mallory");
    }

    /** Builds the client-final message by hand, proof computed over exactly the bytes sent. */
    private static byte[] clientFinal(ScramMessages.ClientFirstMessage first, ScramMessages.ServerFirstMessage
            serverFirst, String nonce) throws Exception {
        ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_256);
        ScramMessages.ClientFinalMessage last = new ScramMessages.ClientFinalMessage(
                "n,,".getBytes(StandardCharsets.UTF_8), nonce);
        byte[] salted = formatter.saltedPassword("bob-secret", serverFirst.salt(), serverFirst.iterations());
        last.proof(formatter.clientProof(salted, first, serverFirst, last));
        return last.toBytes();
    }

    @org.junit.jupiter.api.Test
    void librdkafkasDoubledClientNonceIsAccepted() throws Exception {
        // librdkafka < 2.2 sends r=<client nonce><server-first nonce>, with a valid proof over that message
        ScramServer server = new ScramServer("SCRAM-SHA-256", bob("SCRAM-SHA-256"));
        ScramMessages.ClientFirstMessage first = new ScramMessages.ClientFirstMessage("bob", "cnonce", Map.of());
        ScramMessages.ServerFirstMessage serverFirst =
                new ScramMessages.ServerFirstMessage(server.evaluateResponse(first.toBytes()));

        server.evaluateResponse(clientFinal(first, serverFirst, "cnonce" + serverFirst.nonce()));

        assertThat(server.isComplete()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void anyOtherPrefixedNonceIsRefused() throws Exception {
        ScramServer server = new ScramServer("SCRAM-SHA-256", bob("SCRAM-SHA-256"));
        ScramMessages.ClientFirstMessage first = new ScramMessages.ClientFirstMessage("bob", "cnonce", Map.of());
        ScramMessages.ServerFirstMessage serverFirst =
                new ScramMessages.ServerFirstMessage(server.evaluateResponse(first.toBytes()));

        assertThatThrownBy(() -> server.evaluateResponse(clientFinal(first, serverFirst,
                "evil" + serverFirst.nonce())))
                .isInstanceOf(SaslException.class).hasMessage("Invalid client nonce in the final client message.");
        assertThatThrownBy(() -> server.evaluateResponse(new byte[0]))
                .hasMessageContaining("Unexpected challenge in Sasl server state FAILED");
    }

    @org.junit.jupiter.api.Test
    void anAuthorizationIdOtherThanTheUserIsRefused() throws Exception {
        ScramServer server = new ScramServer("SCRAM-SHA-256", bob("SCRAM-SHA-256"));
        byte[] first = "n,a=admin,n=bob,r=cnonce".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> server.evaluateResponse(first))
                .hasMessageContaining("authorization id that is different from username");
    }
}
