package io.samsa.protocol;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport of the Kafka listeners (ADR 0029): native epoll where Netty's JNI library loads (Linux x86-64),
 * the JDK's NIO selector otherwise. Epoll saves the selector's bookkeeping on every request round trip — Netty's NIO
 * handler also wakes its own selector once more after each wake-up by another thread (an extra eventfd write, read and
 * {@code epoll_wait} per response handed back by an I/O thread) — and sends file regions with {@code sendfile(2)} as
 * NIO does (see {@code docs/performance.md}).
 *
 * <p>{@code -Dsamsa.network.transport=nio} forces NIO (e.g. to compare, or where the native library misbehaves);
 * {@code epoll} (the default) falls back to NIO, logging why, when the native library is unavailable. The choice is
 * made once per JVM. Thread-safe (immutable constants).
 */
enum Transport {
    EPOLL("epoll"),
    NIO("nio");

    static final String PROPERTY = "samsa.network.transport";
    private static final Logger LOGGER = LoggerFactory.getLogger(Transport.class);

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** The transport this JVM's listeners use (the property, then epoll if available, then NIO). */
    static Transport chosen() {
        return Holder.CHOSEN;
    }

    /** {@code epoll} or {@code nio}, as logged when a listener binds. */
    String label() {
        return label;
    }

    IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The transport for a value of {@link #PROPERTY} (null: the default). */
    static Transport choose(String requested) {
        if ("nio".equalsIgnoreCase(requested)) {
            return NIO;
        }
        if (requested != null && !requested.isBlank() && !"epoll".equalsIgnoreCase(requested)) {
            LOGGER.warn("Unknown {}={} (expected epoll or nio); choosing the default", PROPERTY, requested);
        }
        try {
            if (Epoll.isAvailable()) {
                return EPOLL;
            }
            Throwable cause = Epoll.unavailabilityCause();
            LOGGER.info("Native epoll transport unavailable ({}); using NIO",
                    cause == null ? "unknown reason" : cause.toString());
        } catch (LinkageError e) { // the native jar is absent from the class path, or its library does not link
            LOGGER.info("Native epoll transport unavailable ({}); using NIO", e.toString());
        }
        return NIO;
    }

    private static final class Holder {
        static final Transport CHOSEN = choose(System.getProperty(PROPERTY));
    }
}
