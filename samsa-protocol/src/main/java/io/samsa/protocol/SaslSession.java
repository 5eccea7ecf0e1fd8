package io.samsa.protocol;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The KIP-368 side of one SASL connection (Kafka's {@code SaslServerAuthenticator.ReauthInfo}): whether the client
 * can re-authenticate (it used SaslAuthenticate v1+), when the current session expires, and while re-authenticating
 * the mechanism and principal that must not change.
 *
 * <p>Per connection, event loop only. Times: {@code System.nanoTime()} for expiry, wall-clock ms for credential
 * expiry (a JWT's {@code exp}).
 */
final class SaslSession {
    private boolean clientSupportsReauthentication;
    private boolean expires;
    private long expiresNanos;
    private KafkaPrincipal previousPrincipal;
    private String previousMechanism;

    /** Notes the version of a SaslAuthenticate request: v1+ means the client knows KIP-368. */
    void saslAuthenticateVersion(short version) {
        if (version > 0) {
            clientSupportsReauthentication = true;
        }
    }

    boolean clientSupportsReauthentication() {
        return clientSupportsReauthentication;
    }

    /** True once an expiring session has passed its end. */
    boolean expired(long nowNanos) {
        return expires && nowNanos - expiresNanos >= 0;
    }

    /** Starts a re-authentication of {@code principal}, authenticated with {@code mechanism}. */
    void beginReauthentication(KafkaPrincipal principal, String mechanism) {
        previousPrincipal = principal;
        previousMechanism = mechanism;
    }

    boolean reauthenticating() {
        return previousPrincipal != null;
    }

    /** "authentication" or "re-authentication", as in Kafka's messages. */
    String text() {
        return reauthenticating() ? "re-authentication" : "authentication";
    }

    /** The principal being re-authenticated, or null. */
    KafkaPrincipal previousPrincipal() {
        return previousPrincipal;
    }

    /** Kafka's refusal text when a re-authentication asks for another mechanism, else null. */
    String mechanismChangeRefusal(String requested) {
        if (previousMechanism == null || previousMechanism.equals(requested)) {
            return null;
        }
        return String.format("SASL mechanism '%s' requested by client is not supported for re-authentication of "
                + "mechanism '%s'", requested, previousMechanism);
    }

    /** Kafka's refusal text when a re-authentication ends with another principal, else null. */
    String principalChangeRefusal(KafkaPrincipal authenticated) {
        if (previousPrincipal == null || previousPrincipal.equals(authenticated)) {
            return null;
        }
        return String.format("Cannot change principals during re-authentication from %s.%s: %s.%s",
                previousPrincipal.getPrincipalType(), previousPrincipal.getName(), authenticated.getPrincipalType(),
                authenticated.getName());
    }

    /**
     * Ends an exchange successfully and starts the session (Kafka's
     * {@code calcCompletionTimesAndReturnSessionLifetimeMs}): the lifetime is min({@code maxReauthMs} when set, time
     * left until {@code credentialExpiresMs} when known), never negative; 0 with neither (no expiry).
     *
     * @return the session lifetime in ms to send in SaslAuthenticate v1+
     */
    long complete(long maxReauthMs, Long credentialExpiresMs, long nowMs, long nowNanos) {
        previousPrincipal = null;
        previousMechanism = null;
        if (credentialExpiresMs == null && maxReauthMs == 0) {
            expires = false;
            return 0L;
        }
        long untilExpiry = credentialExpiresMs == null ? Long.MAX_VALUE : credentialExpiresMs - nowMs;
        long lifetime = Math.max(0L, maxReauthMs == 0 ? untilExpiry : Math.min(untilExpiry, maxReauthMs));
        expires = true;
        expiresNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(lifetime);
        return lifetime;
    }
}
