package io.samsa.protocol;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Facts about one connection shared by its handlers.
 *
 * @param connectionId  Kafka-style "localHost:localPort-remoteHost:remotePort-counter"
 * @param clientAddress the peer, or null when the transport has no IP address (tests on an embedded channel)
 * @param listenerName  the listener the connection was accepted on
 */
record ConnectionInfo(String connectionId, InetSocketAddress clientAddress, String listenerName) {

    static ConnectionInfo of(Channel channel, String listenerName, AtomicLong counter) {
        SocketAddress local = channel.localAddress();
        SocketAddress remote = channel.remoteAddress();
        String id = format(local) + "-" + format(remote) + "-" + counter.getAndIncrement();
        InetSocketAddress client = remote instanceof InetSocketAddress inet ? inet : null;
        return new ConnectionInfo(id, client, listenerName);
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() + ":" + inet.getPort()
                    : inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
