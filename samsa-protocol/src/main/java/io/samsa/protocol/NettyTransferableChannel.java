package io.samsa.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.PromiseCombiner;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * Adapts a Netty pipeline to kafka-clients' {@link TransferableChannel} so a {@code Send} can write itself
 * without copies: {@code write(ByteBuffer...)} wraps the buffers ({@link Unpooled#wrappedBuffer}) and
 * {@code transferFrom(FileChannel, position, count)} becomes a {@link SharedFileRegion} that the NIO transport sends
 * with {@code FileChannel.transferTo} (sendfile) and that never closes the log's file channel; a section under
 * {@link #COPY_BELOW_BYTES} is read into a pooled direct buffer instead, to leave with the bytes around it in one
 * gathering write. On a TLS connection,
 * where bytes must pass through the {@code SslHandler}, it becomes a {@link SharedChunkedFile} instead: read into
 * pooled buffers chunk by chunk by the {@code ChunkedWriteHandler} while the channel is writable.
 *
 * <p>Every write is accepted in full, so {@link #hasPendingWrites()} is always false. The source buffers' positions
 * are advanced as a real channel would. Writes are queued, not flushed; each part's promise joins {@code parts}.
 * Event loop only; one instance per response.
 */
final class NettyTransferableChannel implements TransferableChannel {

    /**
     * File sections smaller than this (bytes) are copied into a pooled buffer instead of sent with sendfile, so a
     * small response leaves in one gathering write (and one TCP segment) with its header: a follower's fetch at a
     * few records a request costs the leader's network thread about 8% less CPU per MB (three nodes, 2,000 records/s,
     * five alternating pairs; {@code docs/performance.md}). Larger sections keep the zero-copy path.
     */
    static final int COPY_BELOW_BYTES = 16 * 1024;

    private final ChannelHandlerContext ctx;
    private final PromiseCombiner parts;
    private final boolean tls;

    /** @param tls true when the connection is encrypted: file sections are then read, not sent with sendfile */
    NettyTransferableChannel(ChannelHandlerContext ctx, PromiseCombiner parts, boolean tls) {
        this.ctx = ctx;
        this.parts = parts;
        this.tls = tls;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long total = 0;
        int nonEmpty = 0;
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                total += srcs[i].remaining();
                nonEmpty++;
            }
        }
        if (nonEmpty == 0) {
            return 0;
        }
        ByteBuffer[] slices = new ByteBuffer[nonEmpty];
        int j = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer src = srcs[i];
            if (src.hasRemaining()) {
                slices[j++] = src.slice();
                src.position(src.limit());
            }
        }
        emit(Unpooled.wrappedBuffer(slices));
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return 0;
        }
        ByteBuf wrapped = Unpooled.wrappedBuffer(src.slice());
        src.position(src.limit());
        emit(wrapped);
        return n;
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
        if (count <= 0) {
            return 0;
        }
        if (tls) {
            parts.add(ctx.write(new SharedChunkedFile(fileChannel, position, count)));
        } else if (count < COPY_BELOW_BYTES) {
            emit(copy(fileChannel, position, (int) count));
        } else {
            parts.add(ctx.write(new SharedFileRegion(fileChannel, position, count)));
        }
        return count;
    }

    /**
     * Reads {@code count} bytes at {@code position} into a pooled direct buffer (positional reads: the log's channel
     * keeps its position).
     *
     * @throws EOFException the file ends before the section (truncated under the response): the connection closes
     */
    private ByteBuf copy(FileChannel fileChannel, long position, int count) throws IOException {
        ByteBuf buf = ctx.alloc().directBuffer(count, count);
        try {
            while (buf.writerIndex() < count) {
                int n = buf.writeBytes(fileChannel, position + buf.writerIndex(), count - buf.writerIndex());
                if (n < 0) {
                    throw new EOFException("Log file ended " + (count - buf.writerIndex())
                            + " bytes before the section sent");
                }
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private void emit(ByteBuf buf) {
        parts.add(ctx.write(buf));
    }

    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return ctx.channel().isOpen();
    }

    /** Does nothing: the Netty channel's lifetime is not a Send's business. */
    @Override
    public void close() {
    }
}
