package io.samsa.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka frames: an int32 size then that many bytes of header and body. Emits the body
 * (size prefix stripped) as a retained slice; the receiver owns it.
 *
 * <p>A size above {@code maxRequestBytes} or below zero closes the connection as soon as the prefix is read,
 * before anything is allocated for the frame (Kafka's {@code NetworkReceive} throws {@code InvalidReceiveException}
 * and {@code SocketServer} closes the channel). After that, the rest of the input is discarded.
 */
final class KafkaFrameDecoder extends LengthFieldBasedFrameDecoder {

    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaFrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;
    /**
     * Frames up to this size get their whole buffer at once (Kafka's {@code NetworkReceive} allocates every frame
     * at its announced size); larger ones grow as their bytes arrive, so a size prefix alone cannot make the
     * broker allocate more than this per connection.
     */
    static final int PRESIZE_MAX_BYTES = 8 * 1024 * 1024;

    private final int maxRequestBytes;
    private int authenticationLimit = Integer.MAX_VALUE;
    private boolean rejected;

    KafkaFrameDecoder(int maxRequestBytes) {
        // Frame length checked by the superclass includes the prefix; failFast rejects as soon as it is read.
        super(Math.min(maxRequestBytes, Integer.MAX_VALUE - SIZE_PREFIX_BYTES) + SIZE_PREFIX_BYTES, 0, SIZE_PREFIX_BYTES, 0, SIZE_PREFIX_BYTES, true);
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Bounds frames at {@code bytes} ({@code sasl.server.max.receive.size}) until {@link #authenticated()}; a frame
     * announcing more closes the connection as soon as its size prefix is read. Event loop only.
     */
    void limitWhileAuthenticating(int bytes) {
        authenticationLimit = bytes;
    }

    /**
     * Makes room in the cumulation buffer for the whole frame whose size prefix it starts with, once. Without it a
     * frame larger than one socket read (a 6-partition produce of 128 KiB batches is ~760 KiB) is copied again at
     * every doubling of the buffer (about three copies of each byte instead of one; {@code docs/performance.md}).
     * Only for a buffer nobody else holds (no retained slice of an earlier frame) and a size within the limits.
     */
    private void presize(ByteBuf in) {
        int readable = in.readableBytes();
        if (readable < SIZE_PREFIX_BYTES || in.refCnt() != 1 || in.isReadOnly()) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxRequestBytes || size > authenticationLimit || size > PRESIZE_MAX_BYTES) {
            return; // rejected by decode, or left to grow
        }
        int missing = SIZE_PREFIX_BYTES + size - readable;
        if (missing > in.writableBytes()) {
            in.ensureWritable(missing);
        }
    }

    /** Capacity in bytes of the buffer holding a partly received frame (tests). Event loop only. */
    int bufferedCapacity() {
        return internalBuffer().capacity();
    }

    /** Back to {@code socket.request.max.bytes} once SASL authentication has completed. */
    void authenticated() {
        authenticationLimit = Integer.MAX_VALUE;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (authenticationLimit != Integer.MAX_VALUE && in.readableBytes() >= SIZE_PREFIX_BYTES
                && in.getInt(in.readerIndex()) > authenticationLimit) {
            // Kafka's SaslServerAuthenticator: InvalidReceiveException -> SaslAuthenticationException -> closed.
            rejected = true;
            LOGGER.info("Failed authentication with {} (Failing SASL authentication due to invalid receive size: {} "
                    + "bytes above sasl.server.max.receive.size {})", ctx.channel().remoteAddress(),
                    in.getInt(in.readerIndex()), authenticationLimit);
            in.skipBytes(in.readableBytes());
            ctx.close();
            return null;
        }
        presize(in);
        try {
            return super.decode(ctx, in);
        } catch (TooLongFrameException | CorruptedFrameException e) {
            rejected = true;
            LOGGER.warn("Closing connection from {}: request size prefix outside [0, {}] bytes (socket.request.max.bytes)",
                    ctx.channel().remoteAddress(), maxRequestBytes);
            in.skipBytes(in.readableBytes());
            ctx.close();
            return null;
        }
    }
}
