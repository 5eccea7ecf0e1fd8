package io.samsa.it.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.apache.kafka.common.security.oauthbearer.internals.secured.BasicOAuthBearerToken;

/**
 * Client side of OAUTHBEARER for tests ({@code sasl.login.callback.handler.class}): hands kafka-clients the JWT given
 * as the {@code token} option of the client's {@code OAuthBearerLoginModule} JAAS entry, unchecked (the broker
 * decides). The client believes it lives an hour, so it never refreshes it during a test.
 */
public final class StaticTokenLoginHandler implements AuthenticateCallbackHandler {
    private String token;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasEntries) {
        token = (String) jaasEntries.getFirst().getOptions().get("token");
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
                long now = System.currentTimeMillis();
                tokenCallback.token(new BasicOAuthBearerToken(token, Set.of(), now + 3_600_000L, "test-client", now));
            } else if (!(callback instanceof SaslExtensionsCallback)) {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    @Override
    public void close() {
    }
}
