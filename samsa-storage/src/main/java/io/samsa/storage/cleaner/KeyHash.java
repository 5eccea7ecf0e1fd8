package io.samsa.storage.cleaner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64_128 (Austin Appleby, public domain; seed 0) of a key, read in place from a {@link ByteBuffer} with
 * absolute little-endian reads: no copy, no allocation. The result is left in {@link #hi} and {@link #lo} (the
 * reference implementation's {@code h1} and {@code h2}; Guava's {@code Hashing.murmur3_128()} gives the same bytes).
 *
 * <p>Why not MD5 (Kafka's {@code SkimpyOffsetMap}): the offset map only needs two distinct keys to collide on all 128
 * bits with negligible probability. For keys that are not crafted, MurmurHash3's 128-bit output is as good as MD5's
 * for that (birthday bound: about 2^-64 for 2^32 keys in one map) at a fraction of the cost (one multiply-rotate round
 * per 16 bytes, no padding block, no {@code MessageDigest} state). Neither hash resists a deliberate collision (MD5
 * collisions are practical since 2004, MurmurHash3 multicollisions since 2012); a producer able to craft one could
 * only make the cleaner drop a record of the colliding key, which it can already do by writing a tombstone for it.
 *
 * <p>Not thread-safe: one per {@link OffsetMap}.
 */
final class KeyHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** The first 64 bits of the last hash ({@code h1}). */
    long hi;
    /** The second 64 bits of the last hash ({@code h2}). */
    long lo;

    /** Hashes {@code buffer[offset, offset + length)} (absolute reads below the limit; the position is not used). */
    void hash(ByteBuffer buffer, int offset, int length) {
        if (buffer.hasArray()) {
            if (offset < 0 || length < 0 || offset + length > buffer.limit()) {
                throw new IndexOutOfBoundsException("key [" + offset + ", +" + length + ") outside " + buffer);
            }
            hash(buffer.array(), buffer.arrayOffset() + offset, length);
        } else {
            hashDirect(buffer, offset, length);
        }
    }

    /** Hashes {@code array[offset, offset + length)}. */
    void hash(byte[] array, int offset, int length) {
        long h1 = 0;
        long h2 = 0;
        int blocksEnd = offset + (length & ~15);
        for (int i = offset; i < blocksEnd; i += 16) {
            h1 ^= mixK1((long) LONG_LE.get(array, i));
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2((long) LONG_LE.get(array, i + 8));
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = length & 15;
        if (tail > 8) {
            long k2 = 0;
            for (int j = tail - 1; j >= 8; j--) {
                k2 = (k2 << 8) | (array[blocksEnd + j] & 0xffL);
            }
            h2 ^= mixK2(k2);
        }
        if (tail > 0) {
            long k1 = 0;
            for (int j = Math.min(tail, 8) - 1; j >= 0; j--) {
                k1 = (k1 << 8) | (array[blocksEnd + j] & 0xffL);
            }
            h1 ^= mixK1(k1);
        }
        finish(h1, h2, length);
    }

    private void hashDirect(ByteBuffer buffer, int offset, int length) {
        long h1 = 0;
        long h2 = 0;
        int blocksEnd = offset + (length & ~15);
        for (int i = offset; i < blocksEnd; i += 16) {
            long k1 = Long.reverseBytes(buffer.getLong(i));
            long k2 = Long.reverseBytes(buffer.getLong(i + 8));
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = length & 15;
        if (tail > 8) {
            long k2 = 0;
            for (int j = tail - 1; j >= 8; j--) {
                k2 = (k2 << 8) | (buffer.get(blocksEnd + j) & 0xffL);
            }
            h2 ^= mixK2(k2);
        }
        if (tail > 0) {
            long k1 = 0;
            for (int j = Math.min(tail, 8) - 1; j >= 0; j--) {
                k1 = (k1 << 8) | (buffer.get(blocksEnd + j) & 0xffL);
            }
            h1 ^= mixK1(k1);
        }
        finish(h1, h2, length);
    }

    private void finish(long h1, long h2, int length) {
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        this.hi = h1;
        this.lo = h2;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
