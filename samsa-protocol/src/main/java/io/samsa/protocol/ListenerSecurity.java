package io.samsa.protocol;

import java.util.Objects;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How one listener secures its connections ({@code listener.security.protocol.map}).
 *
 * @param protocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param tls      the TLS side (SSL and SASL_SSL), else null
 * @param sasl     the SASL side (SASL_PLAINTEXT and SASL_SSL), else null
 * @throws IllegalArgumentException if {@code tls}/{@code sasl} do not match the protocol
 */
public record ListenerSecurity(SecurityProtocol protocol, TlsSettings tls, SaslSettings sasl) {

    /** No TLS, no authentication: every connection is {@code User:ANONYMOUS}. */
    public static final ListenerSecurity PLAINTEXT = new ListenerSecurity(SecurityProtocol.PLAINTEXT, null, null);

    public ListenerSecurity {
        Objects.requireNonNull(protocol, "protocol");
        boolean wantsTls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        boolean wantsSasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        if (wantsTls != (tls != null) || wantsSasl != (sasl != null)) {
            throw new IllegalArgumentException(protocol + " listener with" + (tls == null ? "out" : "") + " TLS and with"
                    + (sasl == null ? "out" : "") + " SASL settings");
        }
    }
}
