package io.samsa.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Assembles one connection's pipeline; nothing else. Inbound (head to tail): frame decoder, request decoder,
 * response orderer (notes arrival order), on SASL listeners the SASL authenticator (serves the exchange, lets
 * nothing else through before it succeeds), dispatcher. Outbound (dispatcher to head): response orderer (restores
 * order, backpressure), response encoder (zero-copy). On SSL/SASL_SSL listeners the {@code SslHandler}, the
 * {@link TlsHandshakeHandler} (principal from the client certificate) and a {@code ChunkedWriteHandler} (file
 * sections read in chunks: no sendfile under TLS) come first.
 *
 * <pre>
 *  socket → KafkaFrameDecoder → RequestDecoder → ResponseOrderer → [SaslAuthenticator] → RequestDispatcher → ApiHandler
 *  socket ← ResponseEncoder   ←────────────────  ResponseOrderer ← [SaslAuthenticator] ← RequestDispatcher ← future
 * </pre>
 */
final class KafkaWireInitializer extends ChannelInitializer<Channel> {

    private final ServerOptions options;
    private final ApiRegistry registry;
    private final ChannelGroup channels;
    private final AtomicLong connectionCounter;
    private final AtomicBoolean serverClosing;

    /**
     * @param channels      where to track open connections for {@link KafkaWireServer#close()}; may be null
     * @param serverClosing set by {@link KafkaWireServer#close()} before it closes {@code channels}
     */
    KafkaWireInitializer(ServerOptions options, ApiRegistry registry, ChannelGroup channels,
                         AtomicLong connectionCounter, AtomicBoolean serverClosing) {
        this.options = options;
        this.registry = registry;
        this.channels = channels;
        this.connectionCounter = connectionCounter;
        this.serverClosing = serverClosing;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (channels != null) {
            channels.add(ch);
        }
        // A connection accepted while the server closes may register after the group was closed (and after the
        // event loop closed its channels): close it here. Add-then-check pairs with close()'s set-then-close.
        if (serverClosing.get()) {
            ch.close();
            return;
        }
        ConnectionInfo connection = ConnectionInfo.of(ch, options.listenerName(), options.security().protocol(),
                connectionCounter);
        ChannelPipeline pipeline = ch.pipeline();
        TlsSettings tls = options.security().tls();
        if (tls != null) {
            pipeline.addLast("ssl", tls.context().newHandler(ch.alloc()));
            pipeline.addLast("tlsHandshake", new TlsHandshakeHandler(connection, tls.principalNameFromDn()));
            pipeline.addLast("chunkedWriter", new ChunkedWriteHandler());
        }
        KafkaFrameDecoder frames = new KafkaFrameDecoder(options.maxRequestBytes());
        pipeline.addLast("frameDecoder", frames);
        RequestDecoder requests = new RequestDecoder(registry, connection);
        pipeline.addLast("requestDecoder", requests);
        pipeline.addLast("responseEncoder", new ResponseEncoder(tls != null));
        pipeline.addLast("responseOrderer", new ResponseOrderer(options.maxInFlightPerConnection()));
        SaslSettings sasl = options.security().sasl();
        if (sasl != null) {
            pipeline.addLast("saslAuthenticator", new SaslAuthenticator(sasl, connection, frames, requests));
        }
        pipeline.addLast("requestDispatcher", new RequestDispatcher(registry));
    }
}
