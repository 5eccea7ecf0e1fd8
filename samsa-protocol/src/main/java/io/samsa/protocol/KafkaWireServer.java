package io.samsa.protocol;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty server speaking the Kafka wire protocol: length-prefixed frames bounded by
 * {@code socket.request.max.bytes}, header parsing and version checks, dispatch to the {@link ApiRegistry}'s
 * handlers, per-connection response ordering, and zero-copy encoding of file-backed records (sendfile through a
 * Netty {@code FileRegion}).
 *
 * <p>NIO transport: one acceptor thread and {@link ServerOptions#ioThreads()} event loops; every connection is
 * pinned to one event loop, on which its handlers' {@link ApiHandler#handle} calls run. TCP_NODELAY and SO_REUSEADDR
 * are on.
 *
 * <p>Thread-safe: start once, close once (further closes are no-ops).
 */
public final class KafkaWireServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaWireServer.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final Channel serverChannel;
    private final AtomicBoolean closed;

    private KafkaWireServer(EventLoopGroup acceptor, EventLoopGroup workers, ChannelGroup connections,
                            Channel serverChannel, AtomicBoolean closed) {
        this.acceptor = acceptor;
        this.workers = workers;
        this.connections = connections;
        this.serverChannel = serverChannel;
        this.closed = closed;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException  if the address cannot be bound (e.g. the port is in use)
     * @throws InterruptedException  if interrupted while binding
     */
    public static KafkaWireServer start(ServerOptions options, ApiRegistry registry) throws InterruptedException {
        KafkaWireServer server = bind(options, registry);
        server.startAccepting();
        return server;
    }

    /**
     * Binds without accepting connections yet (its port is known, e.g. to register it): clients that connect wait in
     * the listen backlog, unanswered, until {@link #startAccepting} (Kafka's broker likewise enables request
     * processing only at the end of its start-up).
     *
     * @throws UncheckedIOException  if the address cannot be bound (e.g. the port is in use)
     * @throws InterruptedException  if interrupted while binding
     */
    public static KafkaWireServer bind(ServerOptions options, ApiRegistry registry) throws InterruptedException {
        IoHandlerFactory nio = NioIoHandler.newFactory();
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("samsa-acceptor"), nio);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                new DefaultThreadFactory("samsa-network"), nio);
        ChannelGroup connections = new DefaultChannelGroup("samsa-connections", GlobalEventExecutor.INSTANCE);
        AtomicBoolean closed = new AtomicBoolean();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false) // no accept before startAccepting()
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, FileRegionSizeEstimator.INSTANCE)
                .childHandler(new KafkaWireInitializer(options, registry, connections, new AtomicLong(), closed));
        InetSocketAddress address = options.host().isBlank() ? new InetSocketAddress(options.port())
                : new InetSocketAddress(options.host(), options.port());
        ChannelFuture bind = bootstrap.bind(address);
        try {
            bind.await();
        } catch (InterruptedException e) {
            shutdown(acceptor, workers);
            throw e;
        }
        if (!bind.isSuccess()) {
            shutdown(acceptor, workers);
            Throwable cause = bind.cause();
            IOException io = cause instanceof IOException e ? e : new IOException(cause);
            throw new UncheckedIOException("Cannot bind Kafka listener " + options.listenerName() + " to " + address, io);
        }
        KafkaWireServer server = new KafkaWireServer(acceptor, workers, connections, bind.channel(), closed);
        LOGGER.info("Kafka listener {} ({}) bound to {}", options.listenerName(), options.security().protocol(),
                bind.channel().localAddress());
        return server;
    }

    /** Starts accepting connections (those waiting in the backlog first). Idempotent; thread-safe. */
    public void startAccepting() {
        serverChannel.config().setAutoRead(true);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes every connection and the event loops; waits at most a few seconds. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
        connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
        shutdown(acceptor, workers);
        LOGGER.info("Kafka listener closed");
    }

    private static void shutdown(EventLoopGroup acceptor, EventLoopGroup workers) {
        Future<?> a = acceptor.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Future<?> w = workers.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        a.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
        w.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    }
}
