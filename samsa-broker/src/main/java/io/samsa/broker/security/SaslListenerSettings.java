package io.samsa.broker.security;

import static io.samsa.broker.config.SaslConfigDefs.CONNECTIONS_MAX_IDLE_MS;
import static io.samsa.broker.config.SaslConfigDefs.CONNECTIONS_MAX_REAUTH_MS;
import static io.samsa.broker.config.SaslConfigDefs.FAILED_AUTHENTICATION_DELAY_MS;
import static io.samsa.broker.config.SaslConfigDefs.JWKS_ENDPOINT_URL;
import static io.samsa.broker.config.SaslConfigDefs.SASL_ENABLED_MECHANISMS;
import static io.samsa.broker.config.SaslConfigDefs.SASL_SERVER_CALLBACK_HANDLER_CLASS;
import static io.samsa.broker.config.SaslConfigDefs.SASL_SERVER_MAX_RECEIVE_SIZE;
import static io.samsa.broker.config.SaslConfigDefs.SUB_CLAIM_NAME;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.ConfigException;
import io.samsa.broker.config.ListenerOverrides;
import io.samsa.protocol.SaslSettings;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.oauthbearer.BrokerJwtValidator;
import org.apache.kafka.common.security.oauthbearer.JwtValidator;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler;

/**
 * Builds a SASL listener's {@link SaslSettings} from the broker config, with Kafka's keys, each overridable per
 * listener ({@code listener.name.<listener>.<key>}):
 *
 * <ul>
 *   <li>{@code sasl.enabled.mechanisms}: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER. GSSAPI (Kafka's default)
 *       or an unknown mechanism fails start-up (ADR 0017).</li>
 *   <li>JAAS per mechanism, as Kafka's {@code JaasContext.loadServerContext}:
 *       {@code listener.name.<l>.<mechanism>.sasl.jaas.config} (or {@code <mechanism>.sasl.jaas.config}), else the
 *       {@code KafkaServer} section of {@code java.security.auth.login.config}; a bare {@code sasl.jaas.config} is
 *       ignored with Kafka's warning. PLAIN needs one (its {@code user_<name>} options are the users); SCRAM and
 *       OAUTHBEARER do not (ADR 0017).</li>
 *   <li>SCRAM users come from the metadata log ({@link ScramCredentials}).</li>
 *   <li>OAUTHBEARER validates signed JWTs against {@code sasl.oauthbearer.jwks.endpoint.url} with Kafka's
 *       {@code BrokerJwtValidator} and the {@code sasl.oauthbearer.*} keys; the key is required (no unsecured
 *       tokens, ADR 0017).</li>
 *   <li>{@code connections.max.reauth.ms}, {@code connection.failed.authentication.delay.ms},
 *       {@code sasl.server.max.receive.size}, and {@code connections.max.idle.ms} as the bound on an unfinished
 *       exchange.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; called once per listener at start-up.
 */
public final class SaslListenerSettings {
    private static final String JAAS_CONFIG_SUFFIX = "." + SaslConfigs.SASL_JAAS_CONFIG;

    private SaslListenerSettings() {
    }

    /**
     * The SASL settings of listener {@code listenerName} without SCRAM credentials, evaluating on the common pool
     * (for callers without a broker at hand; the broker uses the four-argument form).
     *
     * @throws ConfigException for a missing or invalid key
     */
    public static SaslSettings forListener(BrokerConfig config, String listenerName) {
        return forListener(config, listenerName, ScramCredentials.NONE, ForkJoinPool.commonPool());
    }

    /**
     * The SASL settings of listener {@code listenerName}.
     *
     * @param scram    SCRAM credentials (the metadata image's)
     * @param executor where SASL tokens are evaluated, off the event loops
     * @throws ConfigException for a missing or invalid key, an unsupported mechanism, or a mechanism that cannot be
     *                         set up (e.g. PLAIN without a JAAS config, OAUTHBEARER without a JWKS)
     */
    public static SaslSettings forListener(BrokerConfig config, String listenerName, ScramCredentials scram,
                                           Executor executor) {
        Map<String, String> original = config.original();
        List<String> mechanisms = listValue(config, listenerName, SASL_ENABLED_MECHANISMS);
        String text = String.join(",", mechanisms);
        if (mechanisms.isEmpty()) {
            throw new ConfigException(SASL_ENABLED_MECHANISMS, text, "SASL listener " + listenerName
                    + " needs at least one mechanism");
        }
        for (String mechanism : mechanisms) {
            if (mechanism.equals("GSSAPI")) {
                throw new ConfigException(ListenerOverrides.prefixed(listenerName, SASL_ENABLED_MECHANISMS), text,
                        "GSSAPI (Kerberos) is not supported by Samsa; enable PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or "
                                + "OAUTHBEARER (GSSAPI is Kafka's default: set " + SASL_ENABLED_MECHANISMS + ")");
            }
            if (!SaslMechanisms.SUPPORTED.contains(mechanism)) {
                throw new ConfigException(SASL_ENABLED_MECHANISMS, text, "Unsupported SASL mechanism " + mechanism
                        + "; Samsa supports " + String.join(", ", SaslMechanisms.SUPPORTED));
            }
        }
        List<AppConfigurationEntry> plainJaas = mechanisms.contains(SaslMechanisms.PLAIN)
                ? jaas(original, listenerName, SaslMechanisms.PLAIN, true) : null;
        JwtValidator jwt = mechanisms.contains(SaslMechanisms.OAUTHBEARER)
                ? jwtValidator(config, listenerName) : null;
        String subClaim = ListenerOverrides.value(original, listenerName, SUB_CLAIM_NAME).orElse("sub");
        return new SaslSettings(mechanisms, new SaslMechanisms(plainJaas, scram, jwt, subClaim),
                longValue(config, listenerName, CONNECTIONS_MAX_REAUTH_MS),
                (int) longValue(config, listenerName, FAILED_AUTHENTICATION_DELAY_MS),
                (int) longValue(config, listenerName, SASL_SERVER_MAX_RECEIVE_SIZE),
                longValue(config, listenerName, CONNECTIONS_MAX_IDLE_MS), executor);
    }

    /** Kafka's {@code JaasContext.loadServerContext} for one mechanism; null when optional and absent. */
    private static List<AppConfigurationEntry> jaas(Map<String, String> original, String listenerName,
                                                    String mechanism, boolean required) {
        String key = mechanism.toLowerCase(Locale.ROOT) + JAAS_CONFIG_SUFFIX;
        Optional<String> text = ListenerOverrides.value(original, listenerName, key);
        if (text.isEmpty() && !required && System.getProperty("java.security.auth.login.config") == null) {
            return null;
        }
        Map<String, Object> configs = new HashMap<>();
        text.ifPresent(value -> configs.put(key, new Password(value)));
        if (original.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
            configs.put(SaslConfigs.SASL_JAAS_CONFIG, new Password(original.get(SaslConfigs.SASL_JAAS_CONFIG)));
        }
        try {
            return JaasContext.loadServerContext(new ListenerName(listenerName), mechanism, configs)
                    .configurationEntries();
        } catch (IllegalArgumentException | KafkaException | SecurityException e) {
            throw new ConfigException(ListenerOverrides.prefixed(listenerName, key), "[hidden]",
                    "SASL mechanism " + mechanism + " on listener " + listenerName + " needs a JAAS config: "
                            + e.getMessage());
        }
    }

    /** Kafka's {@code BrokerJwtValidator} configured from the listener's {@code sasl.oauthbearer.*} keys. */
    private static JwtValidator jwtValidator(BrokerConfig config, String listenerName) {
        Map<String, String> original = config.original();
        String handlerKey = "oauthbearer." + SASL_SERVER_CALLBACK_HANDLER_CLASS;
        Optional<String> handler = ListenerOverrides.value(original, listenerName, handlerKey)
                .or(() -> ListenerOverrides.value(original, listenerName, SASL_SERVER_CALLBACK_HANDLER_CLASS));
        if (handler.isPresent() && !handler.get().equals(OAuthBearerValidatorCallbackHandler.class.getName())) {
            throw new ConfigException(ListenerOverrides.prefixed(listenerName, handlerKey), handler.get(),
                    "Samsa validates OAUTHBEARER tokens itself (Kafka's OAuthBearerValidatorCallbackHandler); "
                            + "other callback handlers are not supported");
        }
        if (ListenerOverrides.value(original, listenerName, JWKS_ENDPOINT_URL).isEmpty()) {
            throw new ConfigException(ListenerOverrides.prefixed(listenerName, JWKS_ENDPOINT_URL), null,
                    "OAUTHBEARER needs " + JWKS_ENDPOINT_URL + ": Samsa accepts only signed JWTs (Kafka's unsecured "
                            + "validator is not offered, ADR 0017)");
        }
        org.apache.kafka.common.config.ConfigDef def = new org.apache.kafka.common.config.ConfigDef();
        SaslConfigs.addClientSaslSupport(def);
        Map<String, Object> raw = new HashMap<>();
        for (String key : def.names()) {
            if (key.startsWith("sasl.oauthbearer.")) {
                ListenerOverrides.value(original, listenerName, key).ifPresent(value -> raw.put(key, value));
            }
        }
        List<AppConfigurationEntry> entries = jaas(original, listenerName, SaslMechanisms.OAUTHBEARER, false);
        if (entries == null) {
            entries = List.of(new AppConfigurationEntry(OAuthBearerLoginModule.class.getName(),
                    AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of()));
        }
        try {
            BrokerJwtValidator validator = new BrokerJwtValidator();
            validator.configure(def.parse(raw), SaslMechanisms.OAUTHBEARER, entries);
            return validator;
        } catch (KafkaException | IllegalArgumentException e) {
            throw new ConfigException(ListenerOverrides.prefixed(listenerName, JWKS_ENDPOINT_URL),
                    raw.get(JWKS_ENDPOINT_URL), "OAUTHBEARER cannot be set up: " + e.getMessage());
        }
    }

    private static List<String> listValue(BrokerConfig config, String listenerName, String key) {
        String own = config.original().get(ListenerOverrides.prefixed(listenerName, key));
        List<String> values = own != null ? Arrays.stream(own.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList() : config.values().getList(key);
        return values; // case-sensitive, as Kafka's
    }

    private static long longValue(BrokerConfig config, String listenerName, String key) {
        String prefixed = ListenerOverrides.prefixed(listenerName, key);
        String own = config.original().get(prefixed);
        Function<String, Long> parse = value -> {
            try {
                long parsed = Long.parseLong(value.trim());
                boolean negativeAllowed = key.equals(CONNECTIONS_MAX_IDLE_MS); // negative: no idle bound
                if ((parsed < 0 && !negativeAllowed) || (parsed > Integer.MAX_VALUE && !key.endsWith(".ms"))) {
                    throw new ConfigException(prefixed, value, "Value out of range");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(prefixed, value, "Expected a number");
            }
        };
        if (own != null) {
            return parse.apply(own);
        }
        Object value = config.values().get(key);
        return ((Number) value).longValue();
    }
}
