package io.samsa.storage.index;

import io.samsa.storage.files.StorageFiles;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.utils.ByteBufferUnmapper;

/**
 * A memory-mapped file of fixed-size entries sorted by a relative offset (Kafka's {@code AbstractIndex}). New files
 * are preallocated to {@code maxIndexSize} bytes (rounded down to a whole entry); {@link #trimToValidSize()} shrinks
 * the file to its entries when the segment stops being active or the log is closed.
 *
 * <p>Thread-safety: one writer (the partition's append path) and any number of concurrent readers. Entries are
 * written before the volatile entry count is published, so readers see only complete entries. Remapping (resize,
 * trim, close) takes the write side of a read/write lock; lookups take the read side, so an unmapped buffer is never
 * read.
 */
public abstract sealed class AbstractIndex implements Closeable permits OffsetIndex, TimeIndex {
    private static final int PAGE_SIZE = 4096;
    private final ReentrantReadWriteLock remapLock = new ReentrantReadWriteLock();
    protected final long baseOffset;
    private volatile File file;
    private volatile int maxIndexSize;
    private volatile MappedByteBuffer mmap;
    private volatile int maxEntries;
    /** Number of valid entries; written by the single writer after the entry bytes. */
    protected volatile int entries;
    /** Bytes from the file's start known to be allocated on disk (writer only), see {@link #ensureBacked}. */
    private int backedBytes;
    private boolean closed;

    protected AbstractIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxIndexSize = maxIndexSize;
        boolean created = StorageFiles.of(file).createFile(file.toPath());
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            if (created) {
                raf.setLength(roundDown(maxIndexSize));
            }
            long length = raf.length();
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.entries = created ? 0 : (int) (length / entrySize());
            this.maxEntries = (int) (length / entrySize());
            this.backedBytes = entries * entrySize();
        } catch (IOException | RuntimeException e) {
            if (created) {
                // a retry must not find a preallocated file and read its zeros as entries
                Files.deleteIfExists(file.toPath());
            }
            throw e;
        }
    }

    /** Size of one entry in bytes. */
    public abstract int entrySize();

    public final File file() {
        return file;
    }

    public final long baseOffset() {
        return baseOffset;
    }

    public final int entries() {
        return entries;
    }

    public final int maxEntries() {
        return maxEntries;
    }

    /** True when no further entry may be appended by the append path. */
    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** Bytes of valid entries. */
    public final int sizeInBytes() {
        return entries * entrySize();
    }

    /** Preallocated length of the file in bytes. */
    public final int length() {
        return maxEntries * entrySize();
    }

    /** The buffer for the single writer (absolute puts only). */
    protected final MappedByteBuffer writeBuffer() {
        return mmap;
    }

    /**
     * Makes sure the file's first {@code end} bytes are allocated on disk before the writer stores into them through
     * the mapping. A preallocated index is sparse; a store into a page the file system cannot allocate (a full disk)
     * raises SIGBUS, which the JVM reports as an {@code InternalError}, possibly later than the store itself. Writing
     * the next page's zeros through a channel instead fails cleanly with {@code No space left on device}. Runs once
     * per 4 KiB of entries (every few MiB of log).
     *
     * @throws IOException when the page cannot be allocated
     */
    protected final void ensureBacked(int end) throws IOException {
        if (end <= backedBytes) {
            return;
        }
        int from = backedBytes;
        int to = Math.max(end, Math.min(length(), (end + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE));
        ByteBuffer zeros = ByteBuffer.allocate(to - from);
        try (FileChannel channel = FileChannel.open(file.toPath(), java.nio.file.StandardOpenOption.WRITE)) {
            while (zeros.hasRemaining()) {
                channel.write(zeros, from + zeros.position());
            }
        }
        backedBytes = to;
    }

    /** Converts an absolute offset to the 4-byte relative form, failing when it does not fit. */
    protected final int toRelative(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IndexOffsetOverflowException("offset " + offset + " does not fit in index with base " + baseOffset);
        }
        return (int) relative;
    }

    /**
     * Runs {@code lookup} against a private view of the mapping while holding the read lock.
     */
    protected final <T> T read(IndexReader<T> lookup) {
        remapLock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("index " + file + " is closed");
            }
            return lookup.read(mmap.duplicate(), entries);
        } finally {
            remapLock.readLock().unlock();
        }
    }

    /** A lookup over {@code n} valid entries of {@code buffer}. */
    @FunctionalInterface
    protected interface IndexReader<T> {
        T read(ByteBuffer buffer, int n);
    }

    /**
     * Largest entry index whose relative key is at most {@code key} (or -1): binary search over {@code n} entries.
     */
    protected final int floorSlot(ByteBuffer buffer, int n, long key, boolean byOffset) {
        if (n == 0 || keyAt(buffer, 0, byOffset) > key) {
            return -1;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keyAt(buffer, mid, byOffset) <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Search key of entry {@code n}: the offset, or the index's secondary key (position / timestamp). */
    protected abstract long keyAt(ByteBuffer buffer, int n, boolean byOffset);

    /**
     * Fails when the file is not a whole number of entries.
     *
     * @throws CorruptIndexException when it is not
     */
    protected final void checkWholeEntries() {
        long length = file.length();
        if (length % entrySize() != 0) {
            throw new CorruptIndexException("index " + file + " has length " + length + ", not a multiple of "
                    + entrySize());
        }
    }

    /** Truncates to the first {@code n} entries (writer only). */
    protected final void truncateToEntries(int n) {
        remapLock.writeLock().lock();
        try {
            entries = Math.max(0, Math.min(n, entries));
        } finally {
            remapLock.writeLock().unlock();
        }
    }

    /** Removes every entry. */
    public final void reset() throws IOException {
        truncateToEntries(0);
        resize(maxIndexSize);
    }

    /** Shrinks the file to its valid entries (on roll and close). */
    public final void trimToValidSize() throws IOException {
        resize(sizeInBytes());
    }

    /** Remaps the file at {@code newSize} bytes (rounded down to whole entries, never below the valid entries). */
    public final void resize(int newSize) throws IOException {
        remapLock.writeLock().lock();
        try {
            int rounded = Math.max(roundDown(newSize), sizeInBytes());
            if (closed || rounded == length()) {
                return;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
                unmap();
                raf.setLength(rounded);
                mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, rounded);
                maxEntries = rounded / entrySize();
                backedBytes = Math.min(backedBytes, rounded); // pages past a shrink are gone; an extension is sparse
            }
        } finally {
            remapLock.writeLock().unlock();
        }
    }

    /** Sets the preallocation size used by {@link #reset()} and re-expands the file to it (active segment). */
    public final void expandTo(int newMaxIndexSize) throws IOException {
        this.maxIndexSize = newMaxIndexSize;
        resize(newMaxIndexSize);
    }

    /**
     * Forces the mapping to disk.
     *
     * @throws IOException when the device reports a write error
     */
    public final void flush() throws IOException {
        remapLock.readLock().lock();
        try {
            if (!closed) {
                StorageFiles.of(file).forceMapped(file.toPath(), mmap);
            }
        } finally {
            remapLock.readLock().unlock();
        }
    }

    /**
     * Renames the index file, replacing {@code target} if it exists (used to mark a segment deleted and by the cleaner's
     * swap). The mapping stays valid: readers of this index are unaffected.
     */
    public final void renameTo(File target) throws IOException {
        StorageFiles.of(target).atomicMove(file.toPath(), target.toPath());
        file = target;
    }

    /** Trims, unmaps and closes. Idempotent. */
    @Override
    public final void close() throws IOException {
        trimToValidSize();
        closeHandler();
    }

    /** Unmaps without trimming. Idempotent. */
    public final void closeHandler() throws IOException {
        remapLock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                unmap();
            }
        } finally {
            remapLock.writeLock().unlock();
        }
    }

    /** Closes and deletes the file. */
    public final boolean deleteIfExists() throws IOException {
        closeHandler();
        return Files.deleteIfExists(file.toPath());
    }

    private void unmap() throws IOException {
        ByteBufferUnmapper.unmap(file.getAbsolutePath(), mmap);
    }

    private int roundDown(int size) {
        return size / entrySize() * entrySize();
    }
}
