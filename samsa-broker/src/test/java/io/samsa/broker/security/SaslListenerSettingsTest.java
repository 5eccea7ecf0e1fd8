package io.samsa.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import io.samsa.protocol.SaslSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka's SASL broker keys turned into a listener's {@link SaslSettings}; what fails start-up and how. */
class SaslListenerSettingsTest {
    private static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    private static BrokerConfig config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", "/tmp/samsa-sasl-settings-test");
        props.putAll(extra);
        return BrokerConfig.fromProperties(props);
    }

    @Test
    void kafkasDefaultGssapiFailsStartUpWithAClearLine() {
        assertThatThrownBy(() -> SaslListenerSettings.forListener(config(Map.of()), "SASL_PLAINTEXT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GSSAPI (Kerberos) is not supported by Samsa")
                .hasMessageContaining("sasl.enabled.mechanisms");
    }

    @Test
    void plainWithoutJaasFailsStartUp() {
        assertThatThrownBy(() -> SaslListenerSettings.forListener(
                config(Map.of("sasl.enabled.mechanisms", "PLAIN")), "SASL_PLAINTEXT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.sasl_plaintext.plain.sasl.jaas.config")
                .hasMessageContaining("needs a JAAS config");
    }

    @Test
    void oauthbearerWithoutAJwksFailsStartUp() {
        assertThatThrownBy(() -> SaslListenerSettings.forListener(
                config(Map.of("sasl.enabled.mechanisms", "OAUTHBEARER")), "SASL_PLAINTEXT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.oauthbearer.jwks.endpoint.url")
                .hasMessageContaining("only signed JWTs");
    }

    @Test
    void anotherServerCallbackHandlerFailsStartUp() {
        assertThatThrownBy(() -> SaslListenerSettings.forListener(config(Map.of(
                "sasl.enabled.mechanisms", "OAUTHBEARER",
                "listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.internals.unsecured"
                        + ".OAuthBearerUnsecuredValidatorCallbackHandler")), "SASL_PLAINTEXT"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("other callback handlers");
    }

    @Test
    void kafkasKeysWithListenerOverrides() {
        SaslSettings settings = SaslListenerSettings.forListener(config(Map.of(
                "sasl.enabled.mechanisms", "GSSAPI",
                "listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS,
                "connections.max.reauth.ms", "60000",
                "listener.name.sasl_plaintext.connections.max.reauth.ms", "5000")), "SASL_PLAINTEXT");

        assertThat(settings.enabledMechanisms()).containsExactly("SCRAM-SHA-512", "PLAIN");
        assertThat(settings.maxReauthMs()).isEqualTo(5000L);
        assertThat(settings.failedAuthenticationDelayMs()).isEqualTo(100);
        assertThat(settings.maxReceiveBytes()).isEqualTo(524_288);
        assertThat(settings.authenticationTimeoutMs()).isEqualTo(600_000L);
    }

    @Test
    void plainUsersComeFromTheJaasOptions() throws Exception {
        SaslSettings settings = SaslListenerSettings.forListener(config(Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS)), "SASL_PLAINTEXT");
        SaslSettings.Exchange good = settings.servers().create("PLAIN", null);
        SaslSettings.Exchange bad = settings.servers().create("PLAIN", null);

        good.server().evaluateResponse("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8));
        assertThat(good.server().getAuthorizationID()).isEqualTo("alice");
        assertThatThrownBy(() -> bad.server().evaluateResponse("\0alice\0nope".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Invalid username or password");
        assertThat(bad.claimedName().get()).isEqualTo("alice");
        assertThat(List.of(settings.enabledMechanisms())).hasSize(1);
    }
}
