package io.samsa.protocol;

import java.net.InetSocketAddress;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * What a handler knows about a request besides its body.
 *
 * @param header        the parsed request header (api key, version, correlation id, client id)
 * @param clientAddress the peer's address
 * @param connectionId  unique per connection, stable for its lifetime ("local-remote-counter")
 * @param listenerName  the listener the request arrived on, e.g. {@code PLAINTEXT}
 */
public record RequestContext(RequestHeader header, InetSocketAddress clientAddress, String connectionId,
                             String listenerName) {

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
