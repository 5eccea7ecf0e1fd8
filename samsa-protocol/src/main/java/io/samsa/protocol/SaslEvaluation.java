package io.samsa.protocol;

import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * The outcome of one {@link SaslServer#evaluateResponse} call (run off the event loop), in the terms of Kafka's
 * {@code SaslServerAuthenticator.handleSaslToken}.
 */
sealed interface SaslEvaluation {

    /** The SASL negotiated property holding a credential's expiry (epoch ms), e.g. a JWT's {@code exp}. */
    String CREDENTIAL_LIFETIME_MS = "CREDENTIAL.LIFETIME.MS";

    /** The exchange goes on: send {@code challenge} and wait for the next token. */
    record Challenge(byte[] challenge) implements SaslEvaluation {
    }

    /**
     * Authenticated as {@code authorizationId}; {@code challenge} is the server's last message (may be empty);
     * {@code credentialExpiresMs} is the credential's own expiry (epoch ms) or null.
     */
    record Complete(byte[] challenge, String authorizationId, Long credentialExpiresMs) implements SaslEvaluation {
    }

    /** Refused: {@code clientMessage} goes to the client, {@code reason} to the log. */
    record Refused(String clientMessage, String reason) implements SaslEvaluation {
    }

    /** The server broke (not a refusal): the connection is closed without an answer. */
    record Broken(Throwable cause) implements SaslEvaluation {
    }

    /**
     * Evaluates {@code token}. Kafka's client messages: a {@link SaslAuthenticationException}'s own message; for any
     * other {@link SaslException} a fixed text (its message may reveal whether a user exists; it is logged only).
     *
     * @param reauthenticating selects "re-authentication" over "authentication" in the fixed text
     */
    static SaslEvaluation evaluate(SaslServer server, byte[] token, String mechanism, boolean reauthenticating) {
        try {
            byte[] challenge = server.evaluateResponse(token);
            byte[] bytes = challenge == null ? new byte[0] : challenge;
            if (!server.isComplete()) {
                return new Challenge(bytes);
            }
            Object expiry = server.getNegotiatedProperty(CREDENTIAL_LIFETIME_MS);
            return new Complete(bytes, server.getAuthorizationID(), expiry instanceof Long ms ? ms : null);
        } catch (SaslAuthenticationException e) {
            return new Refused(e.getMessage(), e.getMessage());
        } catch (SaslException e) {
            String text = "Authentication failed during " + (reauthenticating ? "re-authentication" : "authentication")
                    + " due to invalid credentials with SASL mechanism " + mechanism;
            return new Refused(text, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            return new Broken(e);
        }
    }
}
