package io.samsa.protocol;

import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A section of a log file sent as a stream of pooled buffers, for connections where a {@code FileRegion} cannot go
 * (TLS must encrypt every byte in user space, so sendfile is impossible). Netty's {@code ChunkedWriteHandler} reads it
 * one 64 KiB chunk at a time, and only while the channel is writable, so at most a chunk plus the outbound buffer's
 * high water mark is in memory per connection. Reads are positional ({@code FileChannel.read(dst, position)}): the
 * log's channel is shared and its position untouched. Like {@link SharedFileRegion}, closing it leaves the log's
 * channel open.
 */
final class SharedChunkedFile extends ChunkedNioFile {
    static final int CHUNK_BYTES = 64 * 1024;

    SharedChunkedFile(FileChannel file, long position, long count) throws IOException {
        super(file, position, count, CHUNK_BYTES);
    }

    @Override
    public void close() {
        // The log owns the file channel.
    }
}
