package io.samsa.broker.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.security.oauthbearer.JwtValidator;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredJws;

/**
 * The server callback handlers given to kafka-clients' SASL servers, one instance per exchange (so that each
 * remembers what the client claimed, for the refusal log line). Used by one thread at a time.
 */
final class SaslCallbacks {
    private SaslCallbacks() {
    }

    /** Wraps a shared handler (PLAIN's {@code PlainServerCallbackHandler}) and remembers the user name asked for. */
    static final class NameRecording implements CallbackHandler {
        private final CallbackHandler delegate;
        private volatile String name;

        NameRecording(CallbackHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback nameCallback) {
                    name = nameCallback.getDefaultName();
                }
            }
            delegate.handle(callbacks);
        }

        String name() {
            return name;
        }
    }

    /**
     * OAUTHBEARER: validates the JWT with Kafka's {@code BrokerJwtValidator} (signature against the JWKS, exp, nbf,
     * iat, audience, issuer, sub and scope claims) and accepts any SASL extensions, as Kafka's
     * {@code OAuthBearerValidatorCallbackHandler}; remembers the principal or why the token was refused.
     */
    static final class Jwt implements AuthenticateCallbackHandler {
        private final JwtValidator validator;
        private final String subClaim;
        private volatile String subject;
        private volatile String failure;

        /** @param subClaim {@code sasl.oauthbearer.sub.claim.name} */
        Jwt(JwtValidator validator, String subClaim) {
            this.validator = validator;
            this.subClaim = subClaim;
        }

        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                switch (callback) {
                    case OAuthBearerValidatorCallback validation -> validate(validation);
                    case OAuthBearerExtensionsValidatorCallback extensions ->
                            extensions.inputExtensions().map().keySet().forEach(extensions::valid);
                    default -> throw new UnsupportedCallbackException(callback);
                }
            }
        }

        private void validate(OAuthBearerValidatorCallback callback) {
            try {
                OAuthBearerToken token = validator.validate(callback.tokenValue());
                subject = token.principalName();
                callback.token(token);
            } catch (RuntimeException e) { // JwtValidatorException, or a malformed token
                failure = e.getMessage();
                subject = unverifiedSubject(callback.tokenValue());
                callback.error("invalid_token", null, null);
            }
        }

        /** The {@code sub} claim of a refused token, read without trusting it, for the log line; null if none. */
        private String unverifiedSubject(String token) {
            String[] parts = token == null ? new String[0] : token.split("\\.");
            if (parts.length < 2) {
                return null;
            }
            try {
                Object sub = OAuthBearerUnsecuredJws.toMap(parts[1]).get(subClaim);
                return sub instanceof String name ? name + " (unverified)" : null;
            } catch (RuntimeException e) { // OAuthBearerIllegalTokenException: not JSON
                return null;
            }
        }

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> jaasEntries) {
            // configured at construction (the validator is shared by the listener)
        }

        @Override
        public void close() {
        }

        String subject() {
            return subject;
        }

        String failure() {
            return failure;
        }
    }
}
