package io.samsa.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * What a handler knows about a request besides its body.
 *
 * @param header           the parsed request header (api key, version, correlation id, client id)
 * @param clientAddress    the peer's address (null on transports without one)
 * @param connectionId     unique per connection, stable for its lifetime ("local-remote-counter")
 * @param listenerName     the listener the request arrived on, e.g. {@code PLAINTEXT}
 * @param securityProtocol the listener's security protocol ({@code listener.security.protocol.map})
 * @param principal        who sent it: {@link KafkaPrincipal#ANONYMOUS} on PLAINTEXT and on SSL without a client
 *                         certificate, {@code User:<mapped DN>} on SSL with one ({@code ssl.principal.mapping.rules}),
 *                         {@code User:<authorization id>} after SASL (KIP-152), as Kafka's
 *                         {@code DefaultKafkaPrincipalBuilder}
 */
public record RequestContext(RequestHeader header, InetSocketAddress clientAddress, String connectionId,
                             String listenerName, SecurityProtocol securityProtocol, KafkaPrincipal principal) {

    public RequestContext {
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        Objects.requireNonNull(principal, "principal");
    }

    /** A request from an anonymous client on a PLAINTEXT listener. */
    public RequestContext(RequestHeader header, InetSocketAddress clientAddress, String connectionId,
                          String listenerName) {
        this(header, clientAddress, connectionId, listenerName, SecurityProtocol.PLAINTEXT, KafkaPrincipal.ANONYMOUS);
    }

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
