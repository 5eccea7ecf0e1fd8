package io.samsa.protocol;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The TLS side of a listener: the server's {@link SslContext} (built by the broker from Kafka's {@code ssl.*} keys,
 * on OpenSSL/BoringSSL when netty-tcnative is available, else the JDK's provider) and the mapping from a client
 * certificate's subject DN (RFC 2253) to the principal name. With TLS on, file-backed records are read into pooled
 * buffers instead of sent with sendfile (TLS encrypts in user space). Immutable; the context is shared by all
 * connections of the listener.
 *
 * @param context            Netty server context (protocols, ciphers, key and trust material, client auth)
 * @param principalNameFromDn maps a client certificate's subject DN to a principal name
 *                            ({@code ssl.principal.mapping.rules}); may throw a RuntimeException when no rule
 *                            matches, which fails the handshake (Kafka: {@code NoMatchingRule})
 */
public record TlsSettings(SslContext context, UnaryOperator<String> principalNameFromDn) {
    public TlsSettings {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(principalNameFromDn, "principalNameFromDn");
    }
}
