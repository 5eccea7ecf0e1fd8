package io.samsa.storage.files;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * A {@link StorageFiles} that behaves like a file system running out of space: once {@link #fillAfter} bytes more have
 * been written through it, a write stores what still fits (a short write) and the next fails with
 * {@code No space left on device}, as do creations of new files and renames; {@link #freeSpace()} makes room again.
 * Forces keep working (as on a full ext4 or tmpfs). Thread-safe.
 */
public final class FullDiskFiles implements StorageFiles {
    /** The message of the {@code ENOSPC} errno, as the JDK reports it. */
    public static final String ENOSPC = "No space left on device";

    private final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean failForces;

    /** After {@code bytes} more bytes, the disk is full. */
    public FullDiskFiles fillAfter(long bytes) {
        bytesLeft.set(bytes);
        return this;
    }

    /** Also fail fsyncs while full (a device that reports write errors at fsync). */
    public FullDiskFiles failForcesWhenFull(boolean fail) {
        failForces = fail;
        return this;
    }

    /** Space returns (e.g. another topic was deleted). */
    public void freeSpace() {
        bytesLeft.set(Long.MAX_VALUE);
    }

    /** True once a write did not fit. */
    public boolean isFull() {
        return bytesLeft.get() <= 0;
    }

    private int take(int bytes) throws IOException {
        while (true) {
            long left = bytesLeft.get();
            if (left <= 0) {
                throw new IOException(ENOSPC);
            }
            int granted = (int) Math.min(left, bytes);
            if (bytesLeft.compareAndSet(left, left - granted)) {
                return granted;
            }
        }
    }

    private void checkSpace() throws IOException {
        if (bytesLeft.get() <= 0) {
            throw new IOException(ENOSPC);
        }
    }

    private FileChannel wrap(FileChannel channel) {
        return new ForwardingFileChannel(channel) {
            @Override
            protected int beforeWrite(int bytes) throws IOException {
                return bytes == 0 ? 0 : take(bytes);
            }

            @Override
            protected void beforeForce() throws IOException {
                if (failForces) {
                    checkSpace();
                }
            }
        };
    }

    @Override
    public FileRecords openRecords(File file) throws IOException {
        if (!file.exists()) {
            checkSpace();
        }
        return FileRecordsOver.open(file, wrap(FileChannel.open(file.toPath(), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)));
    }

    @Override
    public FileChannel openForWrite(Path file) throws IOException {
        checkSpace();
        return wrap(REAL.openForWrite(file));
    }

    @Override
    public boolean createFile(Path file) throws IOException {
        checkSpace();
        return REAL.createFile(file);
    }

    @Override
    public void forceMapped(Path file, MappedByteBuffer buffer) throws IOException {
        if (failForces) {
            checkSpace();
        }
        REAL.forceMapped(file, buffer);
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        checkSpace();
        REAL.atomicMove(source, target);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        REAL.fsyncDirectory(dir);
    }
}
