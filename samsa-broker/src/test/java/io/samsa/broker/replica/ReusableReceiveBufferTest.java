package io.samsa.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReusableReceiveBufferTest {
    private final ReusableReceiveBuffer pool = new ReusableReceiveBuffer();

    @Test
    void everyResponseGetsExactlyItsSizeInTheSameDirectMemory() {
        ByteBuffer first = pool.tryAllocate(1_000);
        assertThat(first.isDirect()).isTrue();
        assertThat(first.position()).isZero();
        assertThat(first.remaining()).isEqualTo(1_000);
        first.put(0, (byte) 7);

        ByteBuffer second = pool.tryAllocate(10);
        assertThat(second.remaining()).isEqualTo(10);
        assertThat(second.capacity()).isEqualTo(10);
        assertThat(second.get(0)).as("the second response reuses the first one's memory").isEqualTo((byte) 7);
    }

    @Test
    void growsToTheLargestResponseAndKeepsThatSize() {
        int initial = pool.retainedBytes();
        ByteBuffer large = pool.tryAllocate(initial * 3 + 1);
        assertThat(large.isDirect()).isTrue();
        assertThat(large.remaining()).isEqualTo(initial * 3 + 1);
        int grown = pool.retainedBytes();
        assertThat(grown).isGreaterThanOrEqualTo(initial * 3 + 1);

        assertThat(pool.tryAllocate(100).remaining()).isEqualTo(100);
        assertThat(pool.retainedBytes()).isEqualTo(grown);
    }

    @Test
    void aResponseOverTheRetainedLimitGetsAHeapBufferOfItsOwn() {
        ByteBuffer huge = pool.tryAllocate(ReusableReceiveBuffer.RETAINED_LIMIT_BYTES + 1);
        assertThat(huge.isDirect()).isFalse();
        assertThat(huge.remaining()).isEqualTo(ReusableReceiveBuffer.RETAINED_LIMIT_BYTES + 1);
        assertThat(pool.retainedBytes()).isLessThanOrEqualTo(ReusableReceiveBuffer.RETAINED_LIMIT_BYTES);
        assertThat(pool.isOutOfMemory()).isFalse();
    }
}
