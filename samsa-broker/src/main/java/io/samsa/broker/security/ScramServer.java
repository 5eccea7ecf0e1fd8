package io.samsa.broker.security;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;

/**
 * The server side of one SCRAM-SHA-256/512 exchange (RFC 5802, KIP-84), as kafka-clients' {@code ScramSaslServer}
 * (same messages, checks and error texts, built on its {@code ScramFormatter} and {@code ScramMessages}) with one
 * addition (ADR 0017): the client-final nonce may also be the client nonce followed by the whole server-first nonce,
 * which is what librdkafka before 2.2 (kcat 1.7, Debian's librdkafka 2.0.2) sends. The proof is verified over the
 * bytes the client sent, and the server nonce is fresh per exchange, so a replayed or forged message still fails.
 * No delegation tokens ({@code tokenauth}): such a client gets "Invalid user credentials".
 *
 * <p>Not thread-safe: one exchange, used by one thread at a time.
 */
final class ScramServer implements SaslServer {
    private static final Set<String> SUPPORTED_EXTENSIONS = Set.of("tokenauth");

    private enum State { RECEIVE_CLIENT_FIRST_MESSAGE, RECEIVE_CLIENT_FINAL_MESSAGE, COMPLETE, FAILED }

    private final ScramMechanism mechanism;
    private final ScramFormatter formatter;
    private final ScramCredentials credentials;
    private State state = State.RECEIVE_CLIENT_FIRST_MESSAGE;
    private String username;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private ScramCredential credential;

    ScramServer(String mechanismName, ScramCredentials credentials) throws NoSuchAlgorithmException {
        this.mechanism = ScramMechanism.forMechanismName(mechanismName);
        this.formatter = new ScramFormatter(mechanism);
        this.credentials = credentials;
    }

    /** The user name of the client-first message, once received (for the refusal log line). */
    String claimedName() {
        return username;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        try {
            return switch (state) {
                case RECEIVE_CLIENT_FIRST_MESSAGE -> clientFirst(response);
                case RECEIVE_CLIENT_FINAL_MESSAGE -> clientFinal(response);
                default -> throw new IllegalSaslStateException("Unexpected challenge in Sasl server state " + state);
            };
        } catch (SaslException | RuntimeException e) {
            state = State.FAILED;
            clearCredential();
            throw e;
        }
    }

    private byte[] clientFirst(byte[] response) throws SaslException {
        clientFirst = new ClientFirstMessage(response);
        if (!SUPPORTED_EXTENSIONS.containsAll(clientFirst.extensions().map().keySet())) {
            throw new SaslException("Some extensions are not supported: " + clientFirst.extensions().map().keySet());
        }
        username = ScramFormatter.username(clientFirst.saslName());
        String authorizationId = clientFirst.authorizationId();
        if (!authorizationId.isEmpty() && !authorizationId.equals(username)) {
            throw new SaslAuthenticationException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        credential = clientFirst.extensions().tokenAuthenticated() ? null
                : credentials.lookup(username, mechanism.mechanismName()).orElse(null);
        if (credential == null) {
            throw new SaslException("Authentication failed: Invalid user credentials");
        }
        if (credential.iterations() < mechanism.minIterations()) {
            throw new SaslException("Iterations " + credential.iterations() + " is less than the minimum "
                    + mechanism.minIterations() + " for " + mechanism.mechanismName());
        }
        serverFirst = new ServerFirstMessage(clientFirst.nonce(), formatter.secureRandomString(), credential.salt(),
                credential.iterations());
        state = State.RECEIVE_CLIENT_FINAL_MESSAGE;
        return serverFirst.toBytes();
    }

    private byte[] clientFinal(byte[] response) throws SaslException {
        ClientFinalMessage clientFinal = new ClientFinalMessage(response);
        String nonce = clientFinal.nonce();
        boolean librdkafkaNonce = nonce.equals(clientFirst.nonce() + serverFirst.nonce());
        if (!nonce.equals(serverFirst.nonce()) && !librdkafkaNonce) {
            throw new SaslException("Invalid client nonce in the final client message.");
        }
        try {
            byte[] storedKey = credential.storedKey();
            byte[] clientSignature = formatter.clientSignature(storedKey, clientFirst, serverFirst, clientFinal);
            if (!MessageDigest.isEqual(formatter.storedKey(clientSignature, clientFinal.proof()), storedKey)) {
                throw new SaslException("Invalid client credentials");
            }
            byte[] serverSignature = formatter.serverSignature(credential.serverKey(), clientFirst, serverFirst,
                    clientFinal);
            state = State.COMPLETE;
            clearCredential();
            return new ServerFinalMessage(null, serverSignature).toBytes();
        } catch (InvalidKeyException e) {
            throw new SaslException("Authentication failed: Invalid client final message", e);
        }
    }

    private void clearCredential() {
        credential = null;
    }

    @Override
    public String getMechanismName() {
        return mechanism.mechanismName();
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String getAuthorizationID() {
        if (!isComplete()) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return username;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        throw new IllegalStateException("SCRAM supports neither integrity nor privacy");
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        throw new IllegalStateException("SCRAM supports neither integrity nor privacy");
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        if (!isComplete()) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return null;
    }

    @Override
    public void dispose() {
        clearCredential();
    }

    @Override
    public String toString() {
        return "ScramServer[" + mechanism.mechanismName() + ", " + state + "]";
    }
}
