package io.samsa.storage.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} that forwards to a real one, with hooks before writes, truncations and forces (test file
 * layers). Reads and {@code transferTo} (sendfile) go straight through.
 */
abstract class ForwardingFileChannel extends FileChannel {
    protected final FileChannel delegate;

    ForwardingFileChannel(FileChannel delegate) {
        this.delegate = delegate;
    }

    /**
     * Called before writing {@code bytes} bytes.
     *
     * @return how many of them may be written now (fewer: a short write; the next call may throw)
     */
    protected abstract int beforeWrite(int bytes) throws IOException;

    /** Called before a force. */
    protected abstract void beforeForce() throws IOException;

    /** Called after a successful force. */
    protected void afterForce() throws IOException {
    }

    /** Whether a force reaches the real device (a simulation may only record it). */
    protected boolean forwardForce() {
        return true;
    }

    /** Called before a truncation. */
    protected void beforeTruncate(long size) throws IOException {
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int allowed = beforeWrite(src.remaining());
        if (allowed >= src.remaining()) {
            return delegate.write(src);
        }
        int limit = src.limit();
        src.limit(src.position() + allowed);
        try {
            return delegate.write(src);
        } finally {
            src.limit(limit);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long written = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = srcs[i].remaining();
            int w = write(srcs[i]);
            written += w;
            if (w < n) {
                break;
            }
        }
        return written;
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        beforeTruncate(size);
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        beforeForce();
        if (forwardForce()) {
            delegate.force(metaData);
        }
        afterForce();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = src.read(buffer);
            if (n <= 0) {
                break;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                done += write(buffer, position + done);
            }
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int allowed = beforeWrite(src.remaining());
        int limit = src.limit();
        src.limit(src.position() + Math.min(allowed, src.remaining()));
        try {
            return delegate.write(src, position);
        } finally {
            src.limit(limit);
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
