package io.samsa.protocol;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * The SASL side of a listener (SASL_PLAINTEXT, SASL_SSL): which mechanisms a client may choose in SaslHandshake and
 * how the server side of each exchange is made (KIP-43, KIP-152), plus Kafka's bounds on the exchange.
 *
 * @param enabledMechanisms          {@code sasl.enabled.mechanisms}, in the listener's order (sent back in every
 *                                   SaslHandshake response); not empty
 * @param servers                    makes one {@link SaslServer} per mechanism per connection (and per
 *                                   re-authentication)
 * @param maxReauthMs                {@code connections.max.reauth.ms} (KIP-368): 0 = sessions never expire (unless
 *                                   the credential itself expires, e.g. a JWT's {@code exp}); else the broker answers
 *                                   this lifetime in SaslAuthenticate v1+ and closes a connection that sends anything
 *                                   but SaslHandshake after it
 * @param failedAuthenticationDelayMs {@code connection.failed.authentication.delay.ms}: a failed authentication is
 *                                   answered and the connection closed after this delay (default 100 ms)
 * @param maxReceiveBytes            {@code sasl.server.max.receive.size}: bound on any request frame before
 *                                   authentication completes (default 524288 bytes); a larger size prefix closes the
 *                                   connection
 * @param authenticationTimeoutMs    a connection that has not authenticated (or re-authenticated) this long after it
 *                                   connected (or began re-authenticating) is closed; the broker passes
 *                                   {@code connections.max.idle.ms} (ADR 0017); 0 or
 *                                   negative: no bound (Kafka: a negative {@code connections.max.idle.ms} disables
 *                                   the idle check)
 * @param executor                   where {@link SaslServer#evaluateResponse} runs, off the event loop (a JWKS file
 *                                   may be re-read, a credential looked up)
 * @throws IllegalArgumentException for an empty mechanism list or a negative bound
 */
public record SaslSettings(List<String> enabledMechanisms, ServerFactory servers, long maxReauthMs,
                           int failedAuthenticationDelayMs, int maxReceiveBytes, long authenticationTimeoutMs,
                           Executor executor) {

    /** Kafka's {@code connection.failed.authentication.delay.ms} default. */
    public static final int DEFAULT_FAILED_AUTHENTICATION_DELAY_MS = 100;
    /** Kafka's {@code sasl.server.max.receive.size} default. */
    public static final int DEFAULT_MAX_RECEIVE_BYTES = 524_288;
    /** Kafka's {@code connections.max.idle.ms} default. */
    public static final long DEFAULT_AUTHENTICATION_TIMEOUT_MS = 600_000L;

    public SaslSettings {
        enabledMechanisms = List.copyOf(enabledMechanisms);
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(executor, "executor");
        if (enabledMechanisms.isEmpty()) {
            throw new IllegalArgumentException("No SASL mechanism enabled");
        }
        if (maxReauthMs < 0 || failedAuthenticationDelayMs < 0 || maxReceiveBytes <= 0) {
            throw new IllegalArgumentException("Negative SASL bound");
        }
    }

    /** Makes the server side of one exchange. Thread-safe; called on the event loop, so it must not block. */
    @FunctionalInterface
    public interface ServerFactory {
        /**
         * @param mechanism one of the enabled mechanisms, as the client named it
         * @param client    the peer (null on transports without an address)
         * @throws SaslException if the server cannot be made (the connection is closed)
         */
        Exchange create(String mechanism, InetSocketAddress client) throws SaslException;
    }

    /**
     * One exchange: the {@link SaslServer} (used from one thread at a time, never concurrently), and for the refusal
     * log line the name the client claimed so far (a SCRAM or PLAIN user name, a JWT subject) and why the server
     * refused when its exception does not say (e.g. why a JWT failed validation); each supplier may answer null.
     */
    public record Exchange(SaslServer server, Supplier<String> claimedName, Supplier<String> refusalDetail) {
        public Exchange {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(claimedName, "claimedName");
            Objects.requireNonNull(refusalDetail, "refusalDetail");
        }
    }
}
