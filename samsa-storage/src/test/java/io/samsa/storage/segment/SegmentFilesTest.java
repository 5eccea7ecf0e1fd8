package io.samsa.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SegmentFilesTest {
    @Test
    void prefixIsTheOffsetZeroPaddedTo20DigitsAsKafkaNamesSegments() {
        for (long offset : new long[] {0, 7, 42, 4096, 1_234_567_890_123L, Long.MAX_VALUE, -1}) {
            assertThat(SegmentFiles.prefix(offset)).as("%d", offset).isEqualTo(String.format("%020d", offset));
        }
        assertThat(SegmentFiles.offsetFromFileName(SegmentFiles.prefix(4096) + ".log")).isEqualTo(4096);
    }
}
