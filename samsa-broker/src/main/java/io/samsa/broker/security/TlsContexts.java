package io.samsa.broker.security;

import static io.samsa.broker.config.SslConfigDefs.SSL_CIPHER_SUITES;
import static io.samsa.broker.config.SslConfigDefs.SSL_CLIENT_AUTH;
import static io.samsa.broker.config.SslConfigDefs.SSL_ENABLED_PROTOCOLS;
import static io.samsa.broker.config.SslConfigDefs.SSL_PRINCIPAL_MAPPING_RULES;
import static io.samsa.broker.config.SslConfigDefs.SSL_PROTOCOL;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.BrokerConfigDefs;
import io.samsa.broker.config.ConfigException;
import io.samsa.broker.config.ConfigType;
import io.samsa.broker.config.ListenerOverrides;
import io.samsa.protocol.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an SSL/SASL_SSL listener's {@link TlsSettings} from Kafka's {@code ssl.*} keys (each may be overridden per
 * listener with {@code listener.name.<listener>.ssl.*}): key and trust stores (JKS, PKCS12, PEM; {@link StoreLoader}),
 * {@code ssl.enabled.protocols} (TLSv1.2,TLSv1.3), {@code ssl.protocol} (checked, TLSv1.3), {@code ssl.cipher.suites},
 * {@code ssl.client.auth} (none, requested, required) and {@code ssl.principal.mapping.rules} (kafka-clients'
 * {@link SslPrincipalMapper}).
 *
 * <p>The engine is OpenSSL (BoringSSL from netty-tcnative-boringssl-static) when it loads on this platform, else the
 * JDK's; {@code -Dsamsa.ssl.provider=jdk|openssl} forces one. Every invalid or missing file, password or value fails
 * with one {@link ConfigException} naming the key. Stateless; a context is built once per listener at start-up.
 */
public final class TlsContexts {
    /** System property forcing the TLS engine: {@code jdk} or {@code openssl}. */
    public static final String PROVIDER_PROPERTY = "samsa.ssl.provider";
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * The TLS side of listener {@code listenerName}. On a SASL_SSL listener {@code ssl.client.auth} counts only with
     * the listener prefix ({@code listener.name.<listener>.ssl.client.auth}), as in Kafka: SASL authenticates there.
     */
    public static TlsSettings server(BrokerConfig config, String listenerName) {
        boolean sasl = config.securityProtocol(listenerName) == SecurityProtocol.SASL_SSL;
        Function<String, String> value = key -> {
            Optional<String> text = sasl && key.equals(SSL_CLIENT_AUTH)
                    ? Optional.ofNullable(config.original().get(ListenerOverrides.prefixed(listenerName, key)))
                    : ListenerOverrides.value(config.original(), listenerName, key);
            return text.map(String::trim).filter(v -> !v.isEmpty()).orElseGet(() -> defaultText(key));
        };
        return server(value, listenerName);
    }

    /** As {@link #server(BrokerConfig, String)}, from a function giving each key's effective text (null: unset). */
    static TlsSettings server(Function<String, String> value, String listenerName) {
        String clientAuthText = value.apply(SSL_CLIENT_AUTH).toLowerCase(Locale.ROOT);
        ClientAuth clientAuth = switch (clientAuthText) {
            case "required" -> ClientAuth.REQUIRE;
            case "requested" -> ClientAuth.OPTIONAL;
            case "none" -> ClientAuth.NONE;
            default -> throw new ConfigException(SSL_CLIENT_AUTH, clientAuthText,
                    "String must be one of: required, requested, none");
        };
        String sslProtocol = value.apply(SSL_PROTOCOL);
        try {
            SSLContext.getInstance(sslProtocol);
        } catch (NoSuchAlgorithmException e) {
            throw new ConfigException(SSL_PROTOCOL, sslProtocol, "not a TLS protocol this JVM knows");
        }
        List<String> protocols = list(SSL_ENABLED_PROTOCOLS, value.apply(SSL_ENABLED_PROTOCOLS));
        if (protocols.isEmpty()) {
            protocols = List.of("TLSv1.2", "TLSv1.3");
        }
        List<String> ciphers = list(SSL_CIPHER_SUITES, value.apply(SSL_CIPHER_SUITES));
        UnaryOperator<String> principalName = principalMapper(value.apply(SSL_PRINCIPAL_MAPPING_RULES));

        SslProvider provider = provider();
        SslContextBuilder builder = StoreLoader.serverBuilder(value);
        StoreLoader.trust(builder, value);
        builder.sslProvider(provider).clientAuth(clientAuth).protocols(protocols)
                .ciphers(ciphers.isEmpty() ? null : ciphers);
        SslContext context = build(builder, protocols, ciphers);
        LOGGER.info("Listener {}: TLS {} on {}, ssl.client.auth={}, cipher suites {}", listenerName,
                String.join(",", protocols), providerName(provider), clientAuthText,
                ciphers.isEmpty() ? "(provider defaults)" : String.join(",", ciphers));
        return new TlsSettings(context, principalName);
    }

    private static SslContext build(SslContextBuilder builder, List<String> protocols, List<String> ciphers) {
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            String key = ciphers.isEmpty() ? SSL_ENABLED_PROTOCOLS : SSL_CIPHER_SUITES;
            throw new ConfigException(key, String.join(",", ciphers.isEmpty() ? protocols : ciphers),
                    "cannot build a TLS context: " + StoreLoader.message(e));
        }
        // an engine shows unsupported protocols or cipher suites now rather than at the first connection
        SSLEngine engine = null;
        try {
            engine = context.newEngine(ByteBufAllocator.DEFAULT);
            List<String> enabled = List.of(engine.getEnabledProtocols());
            for (String protocol : protocols) {
                if (!enabled.contains(protocol)) {
                    throw new ConfigException(SSL_ENABLED_PROTOCOLS, String.join(",", protocols),
                            protocol + " is not supported by the TLS provider (supported: "
                                    + String.join(",", engine.getSupportedProtocols()) + ")");
                }
            }
            if (!ciphers.isEmpty() && engine.getEnabledCipherSuites().length == 0) {
                throw new ConfigException(SSL_CIPHER_SUITES, String.join(",", ciphers),
                        "none of the cipher suites is supported");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ciphers.isEmpty() ? SSL_ENABLED_PROTOCOLS : SSL_CIPHER_SUITES,
                    String.join(",", ciphers.isEmpty() ? protocols : ciphers), StoreLoader.message(e));
        } finally {
            if (engine != null) {
                ReferenceCountUtil.release(engine);
            }
        }
        return context;
    }

    /** {@code ssl.principal.mapping.rules} as a DN → name function; a DN no rule matches fails the handshake. */
    static UnaryOperator<String> principalMapper(String rules) {
        SslPrincipalMapper mapper;
        try {
            mapper = SslPrincipalMapper.fromRules(rules);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SSL_PRINCIPAL_MAPPING_RULES, rules, e.getMessage());
        }
        return dn -> {
            try {
                return mapper.getName(dn);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** OpenSSL when available (or forced), else the JDK. */
    static SslProvider provider() {
        String forced = System.getProperty(PROVIDER_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (forced.equals("jdk")) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        if (forced.equals("openssl")) {
            throw new ConfigException(PROVIDER_PROPERTY + "=openssl, but OpenSSL is not available: "
                    + OpenSsl.unavailabilityCause());
        }
        return SslProvider.JDK;
    }

    /** "OpenSSL (BoringSSL)" or "JDK (SunJSSE)", for the start-up log. */
    static String providerName(SslProvider provider) {
        return provider == SslProvider.JDK ? "the JDK's TLS (" + jdkProvider() + ")"
                : "OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative)";
    }

    private static String jdkProvider() {
        try {
            return SSLContext.getDefault().getProvider().getName();
        } catch (NoSuchAlgorithmException e) {
            return "default";
        }
    }

    private static List<String> list(String key, String text) {
        if (text == null) {
            return List.of();
        }
        List<?> items = (List<?>) ConfigType.LIST.parse(key, text);
        return items.stream().map(String::valueOf).toList();
    }

    private static String defaultText(String key) {
        return BrokerConfigDefs.DEF.key(key).map(k -> k.defaultValue()).map(v -> v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v)).orElse(null);
    }
}
