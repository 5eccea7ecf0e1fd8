package io.samsa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Frames arriving in pieces: one buffer of the frame's size, whole frames out, no allocation by a size alone. */
class KafkaFrameDecoderTest {

    private static final int CHUNK = 64 * 1024;
    private final KafkaFrameDecoder decoder = new KafkaFrameDecoder(100 * 1024 * 1024);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void largeFrameInSocketSizedPiecesIsReceivedIntoOneBufferOfItsSize() {
        // Given a 760 KiB request (a produce of six 128 KiB batches) followed by a small one
        byte[] body = new byte[760 * 1024];
        new Random(42).nextBytes(body);
        ByteBuf wire = Unpooled.buffer();
        wire.writeInt(body.length).writeBytes(body).writeInt(3).writeBytes(new byte[] {1, 2, 3});

        // When it arrives 64 KiB at a time
        channel.writeInbound(socketRead(wire, CHUNK));
        // Then the first piece already sits in a buffer with room for the whole frame
        assertThat(decoder.bufferedCapacity()).isGreaterThanOrEqualTo(4 + body.length);
        while (wire.isReadable()) {
            channel.writeInbound(socketRead(wire, CHUNK));
        }
        wire.release();

        // And both frames come out whole, in order
        ByteBuf first = channel.readInbound();
        byte[] received = new byte[first.readableBytes()];
        first.readBytes(received);
        first.release();
        assertThat(received).isEqualTo(body);
        ByteBuf second = channel.readInbound();
        assertThat(second.readableBytes()).isEqualTo(3);
        second.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    /** Up to {@code max} bytes of {@code wire} in a buffer of their own, as a socket read hands them over. */
    private static ByteBuf socketRead(ByteBuf wire, int max) {
        return Unpooled.copiedBuffer(wire.readSlice(Math.min(max, wire.readableBytes())));
    }

    @Test
    void sizePrefixAboveThePresizeLimitDoesNotAllocateTheFrame() {
        // Given a client announcing a 50 MiB request (allowed by socket.request.max.bytes) and sending 100 bytes
        ByteBuf wire = Unpooled.buffer().writeInt(50 * 1024 * 1024).writeBytes(new byte[100]);

        channel.writeInbound(wire);

        // Then nothing near 50 MiB is held for it, and nothing is emitted yet
        assertThat(decoder.bufferedCapacity()).isLessThan(KafkaFrameDecoder.PRESIZE_MAX_BYTES);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isActive()).isTrue();
    }
}
