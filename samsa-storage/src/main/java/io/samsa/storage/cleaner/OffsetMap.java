package io.samsa.storage.cleaner;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The cleaner's dedupe map from record key to the latest offset seen for it (Kafka's {@code SkimpyOffsetMap}). Keys are
 * never stored: each slot holds the key's 128-bit hash and an 8-byte offset (24 bytes per slot), in one
 * {@code long[]} with open addressing and linear probing. Two distinct keys colliding on all 128 bits would be merged;
 * as in Kafka, that risk is accepted (about 2^-64 at 2^32 keys). Kafka uses MD5; Samsa uses MurmurHash3 x64_128,
 * hashed in place without allocation ({@link KeyHash} says why that is as safe).
 *
 * <p>Bounded: the table is sized once from a byte budget ({@code log.cleaner.dedupe.buffer.size} per cleaner thread)
 * and holds at most {@code slots * loadFactor} keys; the cleaner checks {@link #wouldOverflow} before each batch and
 * cleans only up to the last offset that fit.
 *
 * <p>Not thread-safe: one per cleaner thread.
 */
public final class OffsetMap {
    /** Bytes per slot: a 16-byte digest and an 8-byte offset. */
    public static final int BYTES_PER_ENTRY = 24;
    private static final int LONGS_PER_SLOT = 3;

    private final long[] table;
    private final int slots;
    private final int maxEntries;
    private final KeyHash keyHash = new KeyHash();
    private int entries;
    private long latestOffset = -1;
    private long hi;
    private long lo;

    /**
     * @param memoryBytes the byte budget; the table gets {@code memoryBytes / 24} slots
     * @param loadFactor  the share of slots that may be used (Kafka's {@code log.cleaner.io.buffer.load.factor}, 0.9)
     * @throws IllegalArgumentException when the budget holds no slot
     */
    public OffsetMap(long memoryBytes, double loadFactor) {
        long wanted = memoryBytes / BYTES_PER_ENTRY;
        this.slots = (int) Math.min(wanted, (Integer.MAX_VALUE - 16) / LONGS_PER_SLOT);
        if (slots < 1) {
            throw new IllegalArgumentException("dedupe buffer of " + memoryBytes + " bytes holds no entry");
        }
        this.maxEntries = Math.max(1, (int) (slots * loadFactor));
        this.table = new long[slots * LONGS_PER_SLOT];
    }

    /** Records {@code offset} as the latest for {@code key} (the buffer's remaining bytes; its position is kept). */
    public void put(ByteBuffer key, long offset) {
        put(key, key.position(), key.remaining(), offset);
    }

    /** Records {@code offset} as the latest for the key in {@code buffer[keyStart, keyStart + keyLength)}. */
    public void put(ByteBuffer buffer, int keyStart, int keyLength, long offset) {
        keyHash.hash(buffer, keyStart, keyLength);
        put(offset);
    }

    /** Records {@code offset} as the latest for the key in {@code array[keyStart, keyStart + keyLength)}. */
    public void put(byte[] array, int keyStart, int keyLength, long offset) {
        keyHash.hash(array, keyStart, keyLength);
        put(offset);
    }

    private void put(long offset) {
        hashed();
        int slot = firstSlot();
        while (true) {
            int i = slot * LONGS_PER_SLOT;
            if (table[i] == 0 && table[i + 1] == 0) {
                if (entries >= maxEntries) {
                    throw new IllegalStateException("offset map is full (" + entries + " entries)");
                }
                table[i] = hi;
                table[i + 1] = lo;
                table[i + 2] = offset;
                entries++;
                break;
            }
            if (table[i] == hi && table[i + 1] == lo) {
                table[i + 2] = offset;
                break;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        latestOffset = offset;
    }

    /** The latest offset recorded for {@code key}, or -1. */
    public long get(ByteBuffer key) {
        keyHash.hash(key, key.position(), key.remaining());
        hashed();
        int slot = firstSlot();
        while (true) {
            int i = slot * LONGS_PER_SLOT;
            if (table[i] == 0 && table[i + 1] == 0) {
                return -1;
            }
            if (table[i] == hi && table[i + 1] == lo) {
                return table[i + 2];
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    /** Raises the last offset covered by the map (offsets of batches scanned, keyed or not). */
    public void updateLatestOffset(long offset) {
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The last offset the map covers, or -1 when empty. */
    public long latestOffset() {
        return latestOffset;
    }

    /** True when {@code more} new keys might not fit. */
    public boolean wouldOverflow(int more) {
        return (long) entries + more > maxEntries;
    }

    /** Keys recorded. */
    public int size() {
        return entries;
    }

    /** The most keys this map holds. */
    public int capacity() {
        return maxEntries;
    }

    /** Empties the map for the next log. */
    public void clear() {
        Arrays.fill(table, 0L);
        entries = 0;
        latestOffset = -1;
    }

    private void hashed() {
        hi = keyHash.hi;
        lo = keyHash.lo;
        if (hi == 0 && lo == 0) {
            lo = 1; // all-zero marks an empty slot
        }
    }

    private int firstSlot() {
        return (int) (((hi >>> 32) * slots) >>> 32); // Lemire's multiply-shift range reduction: no division
    }
}
