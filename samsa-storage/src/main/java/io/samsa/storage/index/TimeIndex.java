package io.samsa.storage.index;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The {@code .timeindex} file of a segment (Kafka's {@code TimeIndex}): 12-byte entries of
 * {@code timestamp i64, relativeOffset i32}, big-endian. An entry is appended only when the segment's maximum
 * timestamp grows, so both columns are non-decreasing: entry {@code (t, o)} means "no record before the batch ending
 * at offset {@code o} has a timestamp above {@code t}" and is used to find the first offset with timestamp &ge; a
 * target (ListOffsets).
 *
 * <p>Thread-safety: see {@link AbstractIndex}; {@link #maybeAppend} and {@link #truncateTo} are for the single writer.
 */
public final class TimeIndex extends AbstractIndex {
    public static final int ENTRY_SIZE = 12;
    private static final long NO_TIMESTAMP = -1L;

    public TimeIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize);
    }

    @Override
    public int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int n, boolean byOffset) {
        return byOffset ? buffer.getInt(n * ENTRY_SIZE + 8) : buffer.getLong(n * ENTRY_SIZE);
    }

    private TimestampOffset entry(ByteBuffer buffer, int n) {
        return new TimestampOffset(buffer.getLong(n * ENTRY_SIZE), baseOffset + buffer.getInt(n * ENTRY_SIZE + 8));
    }

    /**
     * Reserves the last slot for the final {@code maybeAppend(..., skipFullCheck=true)} made when the segment stops
     * being active, as Kafka does.
     */
    @Override
    public boolean isFull() {
        return entries >= maxEntries() - 1;
    }

    /** The last entry, or {@code (-1, baseOffset)} when empty. */
    public TimestampOffset lastEntry() {
        return read((buffer, n) -> n == 0 ? new TimestampOffset(NO_TIMESTAMP, baseOffset) : entry(buffer, n - 1));
    }

    /**
     * The entry with the largest timestamp at most {@code targetTimestamp}, or {@code (-1, baseOffset)}: a scan for the
     * first record with timestamp &ge; target may start at the batch holding the returned offset.
     */
    public TimestampOffset lookup(long targetTimestamp) {
        return read((buffer, n) -> {
            int slot = floorSlot(buffer, n, targetTimestamp, false);
            return slot < 0 ? new TimestampOffset(NO_TIMESTAMP, baseOffset) : entry(buffer, slot);
        });
    }

    /**
     * Appends {@code (timestamp, offset)} if {@code timestamp} is above the last entry's.
     *
     * @param skipFullCheck true when the segment stops being active: the reserved last slot may then be used
     * @throws IllegalStateException    when the index is full
     * @throws IllegalArgumentException when the offset or timestamp goes backwards
     * @throws IOException              when the file system cannot allocate the entry's page (a full disk)
     */
    public void maybeAppend(long timestamp, long offset, boolean skipFullCheck) throws IOException {
        int n = entries;
        if (!skipFullCheck && isFull()) {
            throw new IllegalStateException("time index " + file() + " is full");
        }
        if (n >= maxEntries()) {
            return;
        }
        if (n > 0) {
            long lastTimestamp = writeBuffer().getLong((n - 1) * ENTRY_SIZE);
            long lastOffset = baseOffset + writeBuffer().getInt((n - 1) * ENTRY_SIZE + 8);
            if (offset < lastOffset) {
                throw new IllegalArgumentException("time index offset " + offset + " below last " + lastOffset);
            }
            if (timestamp <= lastTimestamp) {
                return;
            }
        }
        if (timestamp <= NO_TIMESTAMP) {
            return;
        }
        int relative = toRelative(offset);
        ensureBacked((n + 1) * ENTRY_SIZE);
        writeBuffer().putLong(n * ENTRY_SIZE, timestamp);
        writeBuffer().putInt(n * ENTRY_SIZE + 8, relative);
        entries = n + 1;
    }

    /** Removes every entry whose offset is at or above {@code offset}. */
    public void truncateTo(long offset) {
        int keep = read((buffer, n) -> {
            long key = offset - baseOffset;
            int i = n;
            while (i > 0 && keyAt(buffer, i - 1, true) >= key) {
                i--;
            }
            return i;
        });
        truncateToEntries(keep);
    }

    /**
     * Checks the last entry is not below the first one.
     *
     * @throws CorruptIndexException when it is
     */
    public void sanityCheck() {
        checkWholeEntries();
        read((buffer, n) -> {
            if (n > 0) {
                TimestampOffset first = entry(buffer, 0);
                TimestampOffset last = entry(buffer, n - 1);
                if (last.timestamp() < first.timestamp() || last.offset() < first.offset()
                        || (n > 1 && last.timestamp() == first.timestamp())) {
                    throw new CorruptIndexException("corrupt time index " + file() + ": first " + first + ", last " + last);
                }
            }
            return null;
        });
    }
}
