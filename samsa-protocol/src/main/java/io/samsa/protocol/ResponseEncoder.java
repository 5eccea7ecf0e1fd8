package io.samsa.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import java.io.IOException;
import org.apache.kafka.common.network.Send;

/**
 * Writes a serialized response ({@link Send}: size prefix, header, body) to the channel without copying: byte
 * sections become wrapped {@code ByteBuf}s and {@code FileRecords} sections become file regions (sendfile), or pooled
 * copies below {@link NettyTransferableChannel#COPY_BELOW_BYTES}, see {@link NettyTransferableChannel} (on TLS
 * connections: chunks read into pooled buffers). Does not flush; {@link ResponseOrderer} flushes after each run of responses.
 *
 * <p>If a Send fails half-way (e.g. the log segment was truncated under it), part of a response may already be
 * queued, so the connection is closed.
 */
final class ResponseEncoder extends ChannelOutboundHandlerAdapter {
    private final boolean tls;

    /** A PLAINTEXT connection's encoder (sendfile). */
    ResponseEncoder() {
        this(false);
    }

    /** @param tls the connection is encrypted: file sections are read in chunks instead of sent with sendfile */
    ResponseEncoder(boolean tls) {
        this.tls = tls;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Send send)) {
            ctx.write(msg, promise);
            return;
        }
        PromiseCombiner parts = new PromiseCombiner(ctx.executor());
        try {
            NettyTransferableChannel channel = new NettyTransferableChannel(ctx, parts, tls);
            while (!send.completed()) {
                if (send.writeTo(channel) == 0 && !send.completed()) {
                    throw new IOException("Send made no progress: " + send);
                }
            }
        } catch (IOException | RuntimeException e) {
            parts.finish(ctx.newPromise());
            promise.tryFailure(e);
            ctx.close();
            return;
        }
        parts.finish(promise);
    }
}
