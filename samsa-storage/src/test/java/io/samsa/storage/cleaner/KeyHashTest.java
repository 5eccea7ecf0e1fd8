package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class KeyHashTest {
    /** {length, h1, h2} of bytes (i * 31 + 7), from Guava's {@code Hashing.murmur3_128().hashBytes(..).asBytes()}. */
    private static final long[][] VECTORS = {
            {0, 0x0000000000000000L, 0x0000000000000000L},
            {1, 0xc427909d8972bd17L, 0x5c15702a45b199ddL},
            {3, 0x33ff6eda4da0a23bL, 0x5f905e8bd93c3afbL},
            {7, 0x3f14fdfcc2d9b91cL, 0x01ebfd1098f1204fL},
            {8, 0xd927130c3ea3af5dL, 0xeeab4cb4fb7e6832L},
            {9, 0x320f43f3fbfb3be4L, 0xa373172dd046f7a2L},
            {12, 0x46f0c933f9efbf04L, 0x4d994cfc42e108f5L},
            {15, 0x3775f4b56782ab17L, 0x6c299d80b12b415eL},
            {16, 0x466b79ebf689da14L, 0x8c548b02b805858aL},
            {17, 0xeb322f84309de524L, 0x082aa01f2728481bL},
            {24, 0x16ba56f81e8dad44L, 0xf4ceab101463091eL},
            {31, 0x49db93da32960569L, 0x90b21e6033dc6c1eL},
            {32, 0x428638cea8126132L, 0xf0ca1d512a155d2eL},
            {33, 0xfa0bc7309230cdebL, 0x3721c70c96532164L},
            {100, 0x024e0b490a12c598L, 0x6dbbc2144bf00383L},
    };

    @Test
    void matchesTheReferenceMurmur3X64128InHeapAndDirectBuffersAtAnyOffset() {
        KeyHash hash = new KeyHash();
        for (long[] vector : VECTORS) {
            int length = (int) vector[0];
            for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(length + 5),
                    ByteBuffer.allocateDirect(length + 5)}) {
                for (int i = 0; i < length; i++) {
                    buffer.put(3 + i, (byte) (i * 31 + 7));
                }
                buffer.position(1); // ignored: reads are absolute
                hash.hash(buffer, 3, length);
                assertThat(new long[] {hash.hi, hash.lo}).as("length %d, %s", length, buffer)
                        .containsExactly(vector[1], vector[2]);
                assertThat(buffer.position()).isEqualTo(1);
            }
        }
    }
}
