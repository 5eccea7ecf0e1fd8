package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.HIGH;
import static io.samsa.broker.config.ConfigKey.Importance.LOW;
import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.LIST;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.oneOf;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Kafka 4.3's broker TLS keys ({@code SslConfigs}, {@code BrokerSecurityConfigs}) with Kafka's names and defaults.
 * Each may be set per listener as {@code listener.name.<listener>.<key>} ({@link ListenerOverrides}); the values are
 * read by {@code io.samsa.broker.security.TlsContexts} for SSL and SASL_SSL listeners and for the broker's own client
 * connections on the inter-broker listener. Passwords and private keys are sensitive: never logged, never described.
 */
public final class SslConfigDefs {
    public static final String SSL_PROTOCOL = "ssl.protocol";
    public static final String SSL_ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String SSL_CIPHER_SUITES = "ssl.cipher.suites";
    public static final String SSL_KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String SSL_KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String SSL_KEY_PASSWORD = "ssl.key.password";
    public static final String SSL_KEYSTORE_KEY = "ssl.keystore.key";
    public static final String SSL_KEYSTORE_CERTIFICATE_CHAIN = "ssl.keystore.certificate.chain";
    public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_CERTIFICATES = "ssl.truststore.certificates";
    public static final String SSL_CLIENT_AUTH = "ssl.client.auth";
    public static final String SSL_PRINCIPAL_MAPPING_RULES = "ssl.principal.mapping.rules";
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = "ssl.endpoint.identification.algorithm";

    /** Kafka's defaults. */
    public static final String DEFAULT_SSL_PROTOCOL = "TLSv1.3";
    public static final List<String> DEFAULT_ENABLED_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
    public static final String DEFAULT_STORE_TYPE = "JKS";

    private static final Set<String> SENSITIVE = Set.of(SSL_KEYSTORE_PASSWORD, SSL_KEY_PASSWORD, SSL_KEYSTORE_KEY,
            SSL_TRUSTSTORE_PASSWORD);

    private SslConfigDefs() {
    }

    static ConfigDef defineInto(ConfigDef def) {
        return def
                .define(SSL_PROTOCOL, STRING, DEFAULT_SSL_PROTOCOL, null, MEDIUM,
                        "The SSLContext protocol (TLSv1.3, TLSv1.2, TLS); the enabled protocols decide what is offered.")
                .define(SSL_ENABLED_PROTOCOLS, LIST, DEFAULT_ENABLED_PROTOCOLS, null, MEDIUM,
                        "The TLS protocol versions enabled for connections.")
                .define(SSL_CIPHER_SUITES, LIST, List.of(), null, LOW,
                        "The cipher suites enabled (JSSE names); empty: the provider's defaults.")
                .define(SSL_KEYSTORE_TYPE, STRING, DEFAULT_STORE_TYPE, oneOfIgnoringCase("JKS", "PKCS12", "PEM"), MEDIUM,
                        "The key store's format: JKS, PKCS12 or PEM.")
                .define(SSL_KEYSTORE_LOCATION, STRING, null, null, HIGH, "The key store file.")
                .define(SSL_KEYSTORE_PASSWORD, STRING, null, null, HIGH,
                        "The key store's password (not with PEM).")
                .define(SSL_KEY_PASSWORD, STRING, null, null, HIGH,
                        "The private key's password; default: the key store's password (PEM: the key is unencrypted).")
                .define(SSL_KEYSTORE_KEY, STRING, null, null, HIGH,
                        "A PEM private key (PKCS#8), given inline with ssl.keystore.certificate.chain.")
                .define(SSL_KEYSTORE_CERTIFICATE_CHAIN, STRING, null, null, HIGH,
                        "The PEM certificate chain of ssl.keystore.key, given inline.")
                .define(SSL_TRUSTSTORE_TYPE, STRING, DEFAULT_STORE_TYPE, oneOfIgnoringCase("JKS", "PKCS12", "PEM"),
                        MEDIUM, "The trust store's format: JKS, PKCS12 or PEM.")
                .define(SSL_TRUSTSTORE_LOCATION, STRING, null, null, HIGH,
                        "The trust store file; default: the JVM's trusted certificates.")
                .define(SSL_TRUSTSTORE_PASSWORD, STRING, null, null, HIGH,
                        "The trust store's password (optional: without it, integrity is not checked; not with PEM).")
                .define(SSL_TRUSTSTORE_CERTIFICATES, STRING, null, null, HIGH,
                        "Trusted certificates in PEM, given inline.")
                .define(SSL_CLIENT_AUTH, STRING, "none", oneOf("required", "requested", "none"), MEDIUM,
                        "Client certificates: required (mTLS), requested (optional) or none.")
                .define(SSL_PRINCIPAL_MAPPING_RULES, STRING, "DEFAULT", null, LOW,
                        "Rules mapping a client certificate's distinguished name to a principal name.")
                .define(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, STRING, "https", null, LOW,
                        "Host name verification of the server certificate by the broker's own client connections; "
                                + "empty turns it off.")
                .accept("ssl.keymanager.algorithm", STRING, "SunX509", null, LOW, "Key manager algorithm.")
                .accept("ssl.trustmanager.algorithm", STRING, "PKIX", null, LOW, "Trust manager algorithm.")
                .accept("ssl.provider", STRING, null, null, MEDIUM, "JCA security provider.")
                .accept("ssl.secure.random.implementation", STRING, null, null, LOW, "SecureRandom implementation.")
                .accept("ssl.engine.factory.class", STRING, null, null, LOW, "Custom SslEngineFactory.")
                .accept("ssl.allow.dn.changes", ConfigType.BOOLEAN, false, null, LOW, "Dynamic keystore DN changes.")
                .accept("ssl.allow.san.changes", ConfigType.BOOLEAN, false, null, LOW, "Dynamic keystore SAN changes.");
    }

    /**
     * True for a key whose value must not be logged or described: passwords, private keys and JAAS configs, also
     * with a {@code listener.name.<listener>.} prefix (Kafka's {@code Type.PASSWORD}).
     */
    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SENSITIVE.contains(k) || k.endsWith(".password") || k.endsWith("sasl.jaas.config")
                || k.endsWith("." + SSL_KEYSTORE_KEY);
    }

    private static Validator oneOfIgnoringCase(String... allowed) {
        List<String> values = List.of(allowed);
        return Validators.describe("(case insensitive) " + values, (key, value) -> {
            if (!values.contains(((String) value).toUpperCase(Locale.ROOT))) {
                throw new ConfigException(key, value, "String must be one of: " + String.join(", ", values));
            }
        });
    }
}
