package io.samsa.broker.security;

import static io.samsa.broker.config.SslConfigDefs.SSL_KEYSTORE_CERTIFICATE_CHAIN;
import static io.samsa.broker.config.SslConfigDefs.SSL_KEYSTORE_KEY;
import static io.samsa.broker.config.SslConfigDefs.SSL_KEYSTORE_LOCATION;
import static io.samsa.broker.config.SslConfigDefs.SSL_KEYSTORE_PASSWORD;
import static io.samsa.broker.config.SslConfigDefs.SSL_KEYSTORE_TYPE;
import static io.samsa.broker.config.SslConfigDefs.SSL_KEY_PASSWORD;
import static io.samsa.broker.config.SslConfigDefs.SSL_TRUSTSTORE_CERTIFICATES;
import static io.samsa.broker.config.SslConfigDefs.SSL_TRUSTSTORE_LOCATION;
import static io.samsa.broker.config.SslConfigDefs.SSL_TRUSTSTORE_PASSWORD;
import static io.samsa.broker.config.SslConfigDefs.SSL_TRUSTSTORE_TYPE;

import io.netty.handler.ssl.SslContextBuilder;
import io.samsa.broker.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads a listener's key and trust material from Kafka's {@code ssl.keystore.*}/{@code ssl.truststore.*} keys into a
 * Netty {@link SslContextBuilder}, with the rules of Kafka's {@code DefaultSslEngineFactory} (which keys go together,
 * which are refused with PEM) and one {@link ConfigException} naming the key at fault for every problem: a missing or
 * unreadable file, a wrong store password, a wrong key password, a store without a private key, bad PEM. Passwords
 * and keys are never put in a message (shown as {@code [hidden]}). Stateless.
 */
final class StoreLoader {
    static final String HIDDEN = "[hidden]";
    static final String PEM = "PEM";

    private StoreLoader() {
    }

    /**
     * A server builder with the listener's key (an SSL listener must have one).
     *
     * @param value the listener's value of a key (per-listener override first), or null
     */
    static SslContextBuilder serverBuilder(Function<String, String> value) {
        String type = value.apply(SSL_KEYSTORE_TYPE).toUpperCase(Locale.ROOT);
        String location = value.apply(SSL_KEYSTORE_LOCATION);
        String password = value.apply(SSL_KEYSTORE_PASSWORD);
        String keyPassword = value.apply(SSL_KEY_PASSWORD);
        String inlineKey = value.apply(SSL_KEYSTORE_KEY);
        String inlineChain = value.apply(SSL_KEYSTORE_CERTIFICATE_CHAIN);
        if (inlineKey != null || inlineChain != null) {
            if (!PEM.equals(type)) {
                throw new ConfigException(inlineKey != null ? SSL_KEYSTORE_KEY : SSL_KEYSTORE_CERTIFICATE_CHAIN, HIDDEN,
                        "an inline PEM key store needs " + SSL_KEYSTORE_TYPE + "=PEM, but key store type is " + type);
            }
            if (inlineKey == null) {
                throw new ConfigException(SSL_KEYSTORE_KEY, null,
                        "SSL certificate chain is specified, but private key is not specified");
            }
            if (inlineChain == null) {
                throw new ConfigException(SSL_KEYSTORE_CERTIFICATE_CHAIN, null,
                        "SSL private key is specified, but certificate chain is not specified");
            }
            if (location != null) {
                throw new ConfigException(SSL_KEYSTORE_LOCATION, location,
                        "Both SSL key store location and separate private key are specified");
            }
            rejectPemPassword(password);
            return pemKey(bytes(inlineChain), bytes(inlineKey), keyPassword, SSL_KEYSTORE_CERTIFICATE_CHAIN,
                    SSL_KEYSTORE_KEY);
        }
        if (location == null) {
            throw new ConfigException(SSL_KEYSTORE_LOCATION, null, "an SSL listener needs a key store: set "
                    + SSL_KEYSTORE_LOCATION + " (or, with PEM, " + SSL_KEYSTORE_KEY + " and "
                    + SSL_KEYSTORE_CERTIFICATE_CHAIN + ")");
        }
        byte[] content = read(SSL_KEYSTORE_LOCATION, location);
        if (PEM.equals(type)) {
            rejectPemPassword(password);
            return pemKey(content, content, keyPassword, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_LOCATION);
        }
        if (password == null) {
            throw new ConfigException(SSL_KEYSTORE_PASSWORD, null,
                    "SSL key store " + location + " is specified, but key store password is not specified");
        }
        KeyStore store = load(type, location, content, password, SSL_KEYSTORE_PASSWORD, "key store");
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store, alias))) {
                throw new ConfigException(SSL_KEYSTORE_LOCATION, location, "the key store has no private key entry");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, (keyPassword != null ? keyPassword : password).toCharArray());
            return SslContextBuilder.forServer(kmf);
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException(keyPassword != null ? SSL_KEY_PASSWORD : SSL_KEYSTORE_PASSWORD, HIDDEN,
                    "cannot recover the private key of SSL key store " + location + " (wrong password?): "
                            + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(SSL_KEYSTORE_LOCATION, location, "unusable SSL key store: " + e.getMessage());
        }
    }

    /** The trust manager of the listener's trust store, or null for the JVM's default trusted certificates. */
    static void trust(SslContextBuilder builder, Function<String, String> value) {
        String type = value.apply(SSL_TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT);
        String location = value.apply(SSL_TRUSTSTORE_LOCATION);
        String password = value.apply(SSL_TRUSTSTORE_PASSWORD);
        String inline = value.apply(SSL_TRUSTSTORE_CERTIFICATES);
        if (inline != null) {
            if (!PEM.equals(type)) {
                throw new ConfigException(SSL_TRUSTSTORE_CERTIFICATES, "[PEM]", "SSL trust store certs can be "
                        + "specified only for PEM, but trust store type is " + type);
            }
            if (location != null) {
                throw new ConfigException(SSL_TRUSTSTORE_LOCATION, location,
                        "Both SSL trust store location and separate trust certificates are specified");
            }
        }
        if (PEM.equals(type) && password != null) {
            throw new ConfigException(SSL_TRUSTSTORE_PASSWORD, HIDDEN,
                    "SSL trust store password cannot be specified for PEM format");
        }
        if (location == null && password != null) {
            throw new ConfigException(SSL_TRUSTSTORE_LOCATION, null,
                    "SSL trust store is not specified, but trust store password is specified");
        }
        if (inline == null && location == null) {
            return;
        }
        String key = inline != null ? SSL_TRUSTSTORE_CERTIFICATES : SSL_TRUSTSTORE_LOCATION;
        byte[] content = inline != null ? bytes(inline) : read(SSL_TRUSTSTORE_LOCATION, location);
        if (PEM.equals(type)) {
            try (InputStream in = new ByteArrayInputStream(content)) {
                builder.trustManager(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(key, inline != null ? "[PEM]" : location,
                        "no valid PEM certificate: " + message(e));
            }
            return;
        }
        KeyStore store = load(type, location, content, password, SSL_TRUSTSTORE_PASSWORD, "trust store");
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            builder.trustManager(tmf);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(SSL_TRUSTSTORE_LOCATION, location, "unusable SSL trust store: " + e.getMessage());
        }
    }

    private static SslContextBuilder pemKey(byte[] chain, byte[] key, String keyPassword, String chainKey,
                                            String keyKey) {
        try (InputStream certs = new ByteArrayInputStream(chain); InputStream privateKey = new ByteArrayInputStream(key)) {
            return SslContextBuilder.forServer(certs, privateKey, keyPassword);
        } catch (IllegalArgumentException e) {
            String why = message(e);
            boolean aboutKey = why.toLowerCase(Locale.ROOT).contains("key");
            String at = aboutKey ? (keyPassword != null ? SSL_KEY_PASSWORD : keyKey) : chainKey;
            return failPem(at, why);
        } catch (IOException e) {
            return failPem(keyKey, e.getMessage());
        }
    }

    private static SslContextBuilder failPem(String key, String why) {
        throw new ConfigException(key, key.contains("location") ? "(PEM file)" : HIDDEN,
                "invalid PEM key store: " + why);
    }

    private static KeyStore load(String type, String location, byte[] content, String password, String passwordKey,
                                 String what) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new ConfigException(what.startsWith("key") ? SSL_KEYSTORE_TYPE : SSL_TRUSTSTORE_TYPE, type,
                    "unknown key store type");
        }
        try (InputStream in = new ByteArrayInputStream(content)) {
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new ConfigException(passwordKey, HIDDEN, "Failed to load SSL " + what + " " + location
                        + " of type " + type + ": " + e.getMessage());
            }
            throw new ConfigException(what.startsWith("key") ? SSL_KEYSTORE_LOCATION : SSL_TRUSTSTORE_LOCATION,
                    location, "Failed to load SSL " + what + " of type " + type + ": " + message(e));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(what.startsWith("key") ? SSL_KEYSTORE_LOCATION : SSL_TRUSTSTORE_LOCATION,
                    location, "Failed to load SSL " + what + " of type " + type + ": " + message(e));
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }

    private static void rejectPemPassword(String password) {
        if (password != null) {
            throw new ConfigException(SSL_KEYSTORE_PASSWORD, HIDDEN,
                    "SSL key store password cannot be specified with PEM format, only key password may be specified");
        }
    }

    private static byte[] read(String key, String location) {
        Path path = Path.of(location);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(key, location, "no such file");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigException(key, location, "cannot read the file: " + e.getMessage());
        }
    }

    private static byte[] bytes(String pem) {
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    /** The message with the cause's, e.g. "Input stream does not contain valid private key.: pad block corrupted". */
    static String message(Throwable e) {
        String text = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || text.contains(cause.getMessage()) ? text
                : text + ": " + cause.getMessage();
    }
}
