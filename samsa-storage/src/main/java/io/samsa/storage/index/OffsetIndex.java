package io.samsa.storage.index;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The {@code .index} file of a segment (Kafka's {@code OffsetIndex}): 8-byte entries of
 * {@code relativeOffset i32, position i32}, big-endian, sorted. Each entry maps the <em>last</em> offset of a batch to
 * the byte position where that batch starts in the {@code .log}. Entries are sparse: one is added when at least
 * {@code index.interval.bytes} bytes were appended since the previous one.
 *
 * <p>Thread-safety: see {@link AbstractIndex}; {@link #append} and the truncate methods are for the single writer.
 */
public final class OffsetIndex extends AbstractIndex {
    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize);
    }

    @Override
    public int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int n, boolean byOffset) {
        return byOffset ? buffer.getInt(n * ENTRY_SIZE) : buffer.getInt(n * ENTRY_SIZE + 4);
    }

    private OffsetPosition entry(ByteBuffer buffer, int n) {
        return new OffsetPosition(baseOffset + buffer.getInt(n * ENTRY_SIZE), buffer.getInt(n * ENTRY_SIZE + 4));
    }

    /**
     * The entry with the largest offset at most {@code targetOffset}, or {@code (baseOffset, 0)} when there is none.
     * The batch holding {@code targetOffset} starts at or after the returned position.
     */
    public OffsetPosition lookup(long targetOffset) {
        return read((buffer, n) -> {
            int slot = floorSlot(buffer, n, targetOffset - baseOffset, true);
            return slot < 0 ? new OffsetPosition(baseOffset, 0) : entry(buffer, slot);
        });
    }

    /** The entry with the largest position at most {@code position}, or {@code (baseOffset, 0)}. */
    public OffsetPosition lookupByPosition(int position) {
        return read((buffer, n) -> {
            int slot = floorSlot(buffer, n, position, false);
            return slot < 0 ? new OffsetPosition(baseOffset, 0) : entry(buffer, slot);
        });
    }

    /** Entry number {@code n} (0-based). */
    public OffsetPosition entry(int n) {
        return read((buffer, count) -> {
            if (n < 0 || n >= count) {
                throw new IndexOutOfBoundsException("entry " + n + " of " + count);
            }
            return entry(buffer, n);
        });
    }

    /** The last indexed offset, or the base offset when empty. */
    public long lastOffset() {
        return read((buffer, n) -> n == 0 ? baseOffset : entry(buffer, n - 1).offset());
    }

    /**
     * Appends an entry. Offsets must strictly increase.
     *
     * @throws IllegalArgumentException when {@code offset} is not above the last entry
     * @throws IllegalStateException    when the index is full
     * @throws IOException              when the file system cannot allocate the entry's page (a full disk)
     */
    public void append(long offset, int position) throws IOException {
        int n = entries;
        if (n >= maxEntries()) {
            throw new IllegalStateException("offset index " + file() + " is full");
        }
        int relative = toRelative(offset);
        if (n > 0 && relative <= writeBuffer().getInt((n - 1) * ENTRY_SIZE)) {
            throw new IllegalArgumentException("offset " + offset + " not above last index entry in " + file());
        }
        ensureBacked((n + 1) * ENTRY_SIZE);
        writeBuffer().putInt(n * ENTRY_SIZE, relative);
        writeBuffer().putInt(n * ENTRY_SIZE + 4, position);
        entries = n + 1;
    }

    /** Removes every entry whose offset is at or above {@code offset}. */
    public void truncateTo(long offset) {
        int keep = read((buffer, n) -> {
            long key = offset - baseOffset;
            int slot = floorSlot(buffer, n, key, true);
            if (slot < 0) {
                return 0;
            }
            return keyAt(buffer, slot, true) == key ? slot : slot + 1;
        });
        truncateToEntries(keep);
    }

    /**
     * Checks the file is whole entries and the last entry's offset and position do not go backwards.
     *
     * @throws CorruptIndexException when it does not
     */
    public void sanityCheck(int logSizeInBytes) {
        checkWholeEntries();
        read((buffer, n) -> {
            if (n > 0) {
                OffsetPosition last = entry(buffer, n - 1);
                OffsetPosition previous = n > 1 ? entry(buffer, n - 2) : new OffsetPosition(baseOffset - 1, -1);
                if (last.offset() <= previous.offset() || last.position() <= previous.position()
                        || last.position() >= logSizeInBytes) {
                    throw new CorruptIndexException("corrupt offset index " + file() + ": last entry " + last
                            + ", previous " + previous + ", log size " + logSizeInBytes);
                }
            }
            return null;
        });
    }
}
