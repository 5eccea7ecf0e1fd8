package io.samsa.protocol;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The TLS side of a listener (contract stub: the TLS work fills it in).
 *
 * @param context            Netty server context (protocols, ciphers, key and trust material, client auth)
 * @param principalNameFromDn maps a client certificate's subject DN to a principal name
 *                            ({@code ssl.principal.mapping.rules})
 */
public record TlsSettings(SslContext context, UnaryOperator<String> principalNameFromDn) {
    public TlsSettings {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(principalNameFromDn, "principalNameFromDn");
    }
}
