package io.samsa.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Assembles one connection's pipeline; nothing else. Inbound (head to tail): frame decoder, request decoder,
 * response orderer (notes arrival order), dispatcher. Outbound (dispatcher to head): response orderer (restores
 * order, backpressure), response encoder (zero-copy).
 *
 * <pre>
 *  socket → KafkaFrameDecoder → RequestDecoder → ResponseOrderer → RequestDispatcher → ApiHandler
 *  socket ← ResponseEncoder   ←────────────────  ResponseOrderer ← RequestDispatcher ← future
 * </pre>
 */
final class KafkaWireInitializer extends ChannelInitializer<Channel> {

    private final ServerOptions options;
    private final ApiRegistry registry;
    private final ChannelGroup channels;
    private final AtomicLong connectionCounter;

    /** @param channels where to track open connections for {@link KafkaWireServer#close()}; may be null */
    KafkaWireInitializer(ServerOptions options, ApiRegistry registry, ChannelGroup channels,
                         AtomicLong connectionCounter) {
        this.options = options;
        this.registry = registry;
        this.channels = channels;
        this.connectionCounter = connectionCounter;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (channels != null) {
            channels.add(ch);
        }
        ConnectionInfo connection = ConnectionInfo.of(ch, options.listenerName(), connectionCounter);
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("frameDecoder", new KafkaFrameDecoder(options.maxRequestBytes()));
        pipeline.addLast("requestDecoder", new RequestDecoder(registry, connection));
        pipeline.addLast("responseEncoder", new ResponseEncoder());
        pipeline.addLast("responseOrderer", new ResponseOrderer(options.maxInFlightPerConnection()));
        pipeline.addLast("requestDispatcher", new RequestDispatcher(registry));
    }
}
