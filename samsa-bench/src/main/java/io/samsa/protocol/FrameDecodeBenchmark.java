package io.samsa.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code KafkaFrameDecoder} receiving one request frame of {@code frameBytes} in socket reads of 64 KiB (pooled
 * direct buffers, as Netty's read loop hands them over): the cumulation of the pieces into one contiguous frame.
 * A 760 KiB frame is a produce of six 128 KiB batches (compare.py's produce workload).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameDecodeBenchmark {
    private static final int READ_BYTES = 64 * 1024;

    @Param({"16384", "778240"})
    public int frameBytes;

    private EmbeddedChannel channel;
    private byte[] wire;

    @Setup
    public void setUp() {
        channel = new EmbeddedChannel(new KafkaFrameDecoder(100 * 1024 * 1024));
        wire = new byte[4 + frameBytes];
        wire[0] = (byte) (frameBytes >>> 24);
        wire[1] = (byte) (frameBytes >>> 16);
        wire[2] = (byte) (frameBytes >>> 8);
        wire[3] = (byte) frameBytes;
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** Bytes of the received frame (consumed so that nothing is optimized away). */
    @Benchmark
    public int receiveFrame() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        for (int offset = 0; offset < wire.length; offset += READ_BYTES) {
            int n = Math.min(READ_BYTES, wire.length - offset);
            ByteBuf read = alloc.directBuffer(n);
            read.writeBytes(wire, offset, n);
            channel.writeInbound(read);
        }
        ByteBuf frame = channel.readInbound();
        int size = frame.readableBytes();
        frame.release();
        return size;
    }
}
