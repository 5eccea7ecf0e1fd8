package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetMapTest {
    static ByteBuffer key(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheLatestOffsetPerKeyWithinItsBudget() {
        // Given a map of 100 slots (2400 bytes) at load factor 0.9
        OffsetMap map = new OffsetMap(100 * OffsetMap.BYTES_PER_ENTRY, 0.9);
        assertThat(map.capacity()).isEqualTo(90);

        // When keys are put and overwritten
        for (int i = 0; i < 900; i++) {
            map.put(key("key-" + (i % 90)), i);
        }

        // Then each key maps to its last offset, unknown keys to -1, and the buffer's position is untouched
        assertThat(map.size()).isEqualTo(90);
        assertThat(map.get(key("key-0"))).isEqualTo(810);
        assertThat(map.get(key("key-89"))).isEqualTo(899);
        assertThat(map.get(key("other"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(899);
        ByteBuffer k = key("key-5");
        map.get(k);
        assertThat(k.position()).isZero();
        assertThat(map.wouldOverflow(1)).isTrue();
        assertThatThrownBy(() -> map.put(key("one-too-many"), 1000)).isInstanceOf(IllegalStateException.class);

        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("key-0"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(-1);
    }

    @Test
    void aKeyPutInPlaceIsFoundByItsOwnBytes() {
        // Given a key lying in the middle of a larger buffer (as in the cleaner's read buffer)
        OffsetMap map = new OffsetMap(100 * OffsetMap.BYTES_PER_ENTRY, 0.9);
        ByteBuffer chunk = ByteBuffer.wrap("xxkey-7yyy".getBytes(StandardCharsets.UTF_8));

        // When it is put by position and length, with an empty key beside it
        map.put(chunk, 2, 5, 42);
        map.put(chunk, 0, 0, 43);

        // Then a standalone copy of the key finds it, the empty key is its own key, and the buffer is untouched
        assertThat(map.get(key("key-7"))).isEqualTo(42);
        assertThat(map.get(key(""))).isEqualTo(43);
        assertThat(map.get(key("key-"))).isEqualTo(-1);
        assertThat(chunk.position()).isZero();
    }

    @Test
    void aBudgetBelowOneEntryIsRejected() {
        assertThatThrownBy(() -> new OffsetMap(10, 0.9)).isInstanceOf(IllegalArgumentException.class);
    }
}
