package io.samsa.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexTest {
    @TempDir
    Path dir;

    @Test
    void offsetIndexFloorLookupsAndTruncation() throws Exception {
        // Given an offset index with base 100 and entries every 10 offsets
        File file = dir.resolve("00000000000000000100.index").toFile();
        OffsetIndex index = new OffsetIndex(file, 100, 800);
        assertThat(file.length()).isEqualTo(800);
        for (int i = 1; i <= 5; i++) {
            index.append(100 + i * 10, i * 1000);
        }
        // Then lookups return the floor entry, or (base, 0)
        assertThat(index.lookup(99)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(105)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(110)).isEqualTo(new OffsetPosition(110, 1000));
        assertThat(index.lookup(139)).isEqualTo(new OffsetPosition(130, 3000));
        assertThat(index.lookup(1_000)).isEqualTo(new OffsetPosition(150, 5000));
        assertThat(index.lookupByPosition(2999)).isEqualTo(new OffsetPosition(120, 2000));
        assertThat(index.lookupByPosition(3000)).isEqualTo(new OffsetPosition(130, 3000));
        assertThatThrownBy(() -> index.append(150, 6000)).isInstanceOf(IllegalArgumentException.class);

        // When truncated at 130, entries at or above it go
        index.truncateTo(130);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.lastOffset()).isEqualTo(120);

        // When trimmed and reopened, only the valid entries remain
        index.close();
        assertThat(file.length()).isEqualTo(16);
        OffsetIndex reopened = new OffsetIndex(file, 100, 800);
        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.isFull()).isTrue();
        reopened.expandTo(800);
        assertThat(reopened.isFull()).isFalse();
        reopened.sanityCheck(10_000);
        reopened.append(200, 9000);
        assertThat(reopened.lookup(250)).isEqualTo(new OffsetPosition(200, 9000));
        reopened.close();
    }

    @Test
    void offsetIndexSanityCheckDetectsGarbage() throws Exception {
        File file = dir.resolve("00000000000000000000.index").toFile();
        OffsetIndex index = new OffsetIndex(file, 0, 80);
        index.append(5, 100);
        index.append(9, 200);
        index.closeHandler(); // untrimmed: the zero-filled preallocation reads as entries after reopen
        OffsetIndex reopened = new OffsetIndex(file, 0, 80);
        assertThatThrownBy(() -> reopened.sanityCheck(1000)).isInstanceOf(CorruptIndexException.class);
        reopened.closeHandler();
    }

    @Test
    void timeIndexAppendsOnlyGrowingTimestampsAndReservesLastSlot() throws Exception {
        File file = dir.resolve("00000000000000000000.timeindex").toFile();
        TimeIndex index = new TimeIndex(file, 0, 48); // 4 slots, 3 usable by the append path
        index.maybeAppend(1000, 10, false);
        index.maybeAppend(1000, 20, false); // same timestamp: skipped
        index.maybeAppend(2000, 30, false);
        assertThat(index.entries()).isEqualTo(2);
        assertThat(index.lookup(999)).isEqualTo(new TimestampOffset(-1, 0));
        assertThat(index.lookup(1500)).isEqualTo(new TimestampOffset(1000, 10));
        assertThat(index.lookup(5000)).isEqualTo(new TimestampOffset(2000, 30));
        index.maybeAppend(3000, 40, false);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.maybeAppend(4000, 50, false)).isInstanceOf(IllegalStateException.class);
        index.maybeAppend(4000, 50, true);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(4000, 50));
        index.truncateTo(30);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(1000, 10));
        index.close();
        assertThat(file.length()).isEqualTo(12);
    }
}
