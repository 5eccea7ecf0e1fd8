package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.HIGH;
import static io.samsa.broker.config.ConfigKey.Importance.LOW;
import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.INT;
import static io.samsa.broker.config.ConfigType.LIST;
import static io.samsa.broker.config.ConfigType.LONG;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.atLeast;

import java.util.List;

/**
 * The SASL keys of Apache Kafka 4.3 brokers ({@code BrokerSecurityConfigs}, {@code SaslConfigs},
 * {@code SocketServerConfigs}) with Kafka's names, types and defaults. Each may also be set per listener as
 * {@code listener.name.<listener>.<key>} ({@link ListenerOverrides}); the JAAS config only per mechanism,
 * {@code listener.name.<listener>.<mechanism>.sasl.jaas.config}, as in Kafka. Read by
 * {@code security.SaslListenerSettings}.
 */
public final class SaslConfigDefs {
    public static final String SASL_ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    public static final String CONNECTIONS_MAX_REAUTH_MS = "connections.max.reauth.ms";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
    public static final String SASL_SERVER_MAX_RECEIVE_SIZE = "sasl.server.max.receive.size";
    public static final String SASL_SERVER_CALLBACK_HANDLER_CLASS = "sasl.server.callback.handler.class";
    public static final String JWKS_ENDPOINT_URL = "sasl.oauthbearer.jwks.endpoint.url";
    public static final String EXPECTED_AUDIENCE = "sasl.oauthbearer.expected.audience";
    public static final String EXPECTED_ISSUER = "sasl.oauthbearer.expected.issuer";
    public static final String SUB_CLAIM_NAME = "sasl.oauthbearer.sub.claim.name";
    public static final String SCOPE_CLAIM_NAME = "sasl.oauthbearer.scope.claim.name";
    public static final String CLOCK_SKEW_SECONDS = "sasl.oauthbearer.clock.skew.seconds";
    public static final String JWKS_ENDPOINT_REFRESH_MS = "sasl.oauthbearer.jwks.endpoint.refresh.ms";

    private SaslConfigDefs() {
    }

    static ConfigDef defineInto(ConfigDef def) {
        return def
                .define(SASL_ENABLED_MECHANISMS, LIST, List.of("GSSAPI"), null, MEDIUM,
                        "SASL mechanisms of SASL listeners: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER "
                                + "(GSSAPI, Kafka's default, is not supported: ADR 0017).")
                .define(CONNECTIONS_MAX_REAUTH_MS, LONG, 0L, atLeast(0), MEDIUM,
                        "Maximum SASL session lifetime (ms) before the client must re-authenticate (KIP-368); 0: none.")
                .define(CONNECTIONS_MAX_IDLE_MS, LONG, 600_000L, null, MEDIUM,
                        "Idle connection timeout (ms); Samsa bounds an unfinished SASL exchange by it.")
                .define(FAILED_AUTHENTICATION_DELAY_MS, INT, 100, atLeast(0), LOW,
                        "Delay (ms) before a failed authentication is answered and its connection closed.")
                .define(SASL_SERVER_MAX_RECEIVE_SIZE, INT, 524_288, atLeast(1), MEDIUM,
                        "Largest request (bytes) accepted before SASL authentication completes.")
                .define(SASL_SERVER_CALLBACK_HANDLER_CLASS, STRING, null, null, MEDIUM,
                        "Only Kafka's OAuthBearerValidatorCallbackHandler (OAUTHBEARER) is accepted.")
                .define(JWKS_ENDPOINT_URL, STRING, null, null, MEDIUM,
                        "JWKS with the keys that sign OAUTHBEARER tokens (file:// or https://).")
                .define(EXPECTED_AUDIENCE, LIST, List.of(), null, LOW,
                        "Audiences a JWT's aud claim must contain one of; empty: not checked.")
                .define(EXPECTED_ISSUER, STRING, null, null, LOW, "Required JWT iss claim; unset: not checked.")
                .define(SUB_CLAIM_NAME, STRING, "sub", null, LOW, "JWT claim naming the principal.")
                .define(SCOPE_CLAIM_NAME, STRING, "scope", null, LOW, "JWT claim holding the scopes.")
                .define(CLOCK_SKEW_SECONDS, INT, 30, null, LOW, "Clock skew (s) allowed on exp, nbf and iat.")
                .define(JWKS_ENDPOINT_REFRESH_MS, LONG, 3_600_000L, null, LOW, "JWKS refresh interval (ms).")
                .define("sasl.mechanism.inter.broker.protocol", STRING, "GSSAPI", null, MEDIUM,
                        "SASL mechanism of the broker's own connections on a SASL inter-broker listener, with that "
                                + "listener's JAAS config.")
                .accept("sasl.kerberos.service.name", STRING, null, null, MEDIUM, "Kerberos service name (GSSAPI).")
                .accept("principal.builder.class", STRING, null, null, MEDIUM, "Principal builder class.");
    }
}
