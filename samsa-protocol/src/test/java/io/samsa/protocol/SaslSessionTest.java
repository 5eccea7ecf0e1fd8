package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

/** Session lifetimes and re-authentication rules of KIP-368, with an explicit clock. */
class SaslSessionTest {
    private static final long NOW_MS = 1_000_000L;
    private static final long NOW_NANOS = 5_000_000_000L;
    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");

    @Test
    void noReauthAndNoCredentialExpiryMeansNoExpiry() {
        SaslSession session = new SaslSession();

        assertThat(session.complete(0, null, NOW_MS, NOW_NANOS)).isZero();
        assertThat(session.expired(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void theLifetimeIsTheSmallerOfMaxReauthAndTheCredentialsExpiry() {
        SaslSession session = new SaslSession();

        assertThat(session.complete(60_000, null, NOW_MS, NOW_NANOS)).isEqualTo(60_000);
        assertThat(session.complete(60_000, NOW_MS + 10_000, NOW_MS, NOW_NANOS)).isEqualTo(10_000);
        assertThat(session.complete(0, NOW_MS + 10_000, NOW_MS, NOW_NANOS)).isEqualTo(10_000);
        assertThat(session.expired(NOW_NANOS + 9_999_000_000L)).isFalse();
        assertThat(session.expired(NOW_NANOS + 10_000_000_000L)).isTrue();
        // an already expired credential: lifetime 0, expired at once
        assertThat(session.complete(60_000, NOW_MS - 1, NOW_MS, NOW_NANOS)).isZero();
        assertThat(session.expired(NOW_NANOS)).isTrue();
    }

    @Test
    void reauthenticationKeepsMechanismAndPrincipal() {
        SaslSession session = new SaslSession();
        session.saslAuthenticateVersion((short) 0);
        assertThat(session.clientSupportsReauthentication()).isFalse();
        session.saslAuthenticateVersion((short) 2);
        assertThat(session.clientSupportsReauthentication()).isTrue();

        session.beginReauthentication(ALICE, "PLAIN");

        assertThat(session.text()).isEqualTo("re-authentication");
        assertThat(session.mechanismChangeRefusal("PLAIN")).isNull();
        assertThat(session.mechanismChangeRefusal("SCRAM-SHA-256")).isEqualTo("SASL mechanism 'SCRAM-SHA-256' "
                + "requested by client is not supported for re-authentication of mechanism 'PLAIN'");
        assertThat(session.principalChangeRefusal(ALICE)).isNull();
        assertThat(session.principalChangeRefusal(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "bob")))
                .isEqualTo("Cannot change principals during re-authentication from User.alice: User.bob");
        session.complete(0, null, NOW_MS, NOW_NANOS);
        assertThat(session.reauthenticating()).isFalse();
    }
}
