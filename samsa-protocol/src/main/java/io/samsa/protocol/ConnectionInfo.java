package io.samsa.protocol;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Facts about one connection shared by its handlers. The principal is set once the TLS handshake or the SASL
 * exchange has established it (event loop only; read by the request decoder on the same loop).
 */
final class ConnectionInfo {
    private final String connectionId;
    private final InetSocketAddress clientAddress;
    private final String listenerName;
    private final SecurityProtocol securityProtocol;
    private KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;

    ConnectionInfo(String connectionId, InetSocketAddress clientAddress, String listenerName,
                   SecurityProtocol securityProtocol) {
        this.connectionId = connectionId;
        this.clientAddress = clientAddress;
        this.listenerName = listenerName;
        this.securityProtocol = securityProtocol;
    }

    static ConnectionInfo of(Channel channel, String listenerName, SecurityProtocol protocol, AtomicLong counter) {
        SocketAddress local = channel.localAddress();
        SocketAddress remote = channel.remoteAddress();
        String id = format(local) + "-" + format(remote) + "-" + counter.getAndIncrement();
        InetSocketAddress client = remote instanceof InetSocketAddress inet ? inet : null;
        return new ConnectionInfo(id, client, listenerName, protocol);
    }

    /** Kafka-style "localHost:localPort-remoteHost:remotePort-counter". */
    String connectionId() {
        return connectionId;
    }

    /** The peer, or null when the transport has no IP address (tests on an embedded channel). */
    InetSocketAddress clientAddress() {
        return clientAddress;
    }

    String listenerName() {
        return listenerName;
    }

    SecurityProtocol securityProtocol() {
        return securityProtocol;
    }

    KafkaPrincipal principal() {
        return principal;
    }

    void principal(KafkaPrincipal authenticated) {
        this.principal = authenticated;
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() + ":" + inet.getPort()
                    : inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
