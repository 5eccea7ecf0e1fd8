package io.samsa.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.TestBatches;
import io.samsa.storage.files.PowerCutFiles;
import io.samsa.storage.files.StorageFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentTest {
    @TempDir
    Path dir;

    /** Appends {@code batches} batches of 10 records renumbered from the segment base. */
    private List<Integer> fill(LogSegment segment, int batches) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        long next = segment.baseOffset();
        for (int b = 0; b < batches; b++) {
            MemoryRecords records = TestBatches.withValueSize(1_000 + b * 10L, 10, 100);
            records.batches().iterator().next().setLastOffset(next + 9);
            segment.append(next + 9, 1_000 + b * 10L + 9, records);
            sizes.add(records.sizeInBytes());
            next += 10;
        }
        return sizes;
    }

    @Test
    void appendIndexesEveryIntervalAndReadsWholeBatches() throws Exception {
        LogSegment segment = LogSegment.open(dir, 50, 1000, 4096, 0);
        List<Integer> sizes = fill(segment, 10);
        int batch = sizes.get(0);
        assertThat(segment.offsetIndex().entries()).isGreaterThan(0);
        assertThat(segment.readNextOffset()).isEqualTo(150);

        // whole batches from the one holding the fetch offset
        Records read = segment.read(75, 3 * batch + batch / 2, segment.size(), false);
        assertThat(TestBatches.batchCount(read)).isEqualTo(3);
        assertThat(TestBatches.offsets(read).get(0)).isEqualTo(70);
        // maxSize below one batch: nothing, unless minOneMessage
        assertThat(segment.read(75, batch - 1, segment.size(), false).sizeInBytes()).isZero();
        assertThat(segment.read(75, batch - 1, segment.size(), true).sizeInBytes()).isEqualTo(batch);
        // bounded by maxPosition
        Records bounded = segment.read(50, Integer.MAX_VALUE, 2 * batch, false);
        assertThat(TestBatches.offsets(bounded)).hasSize(20);
        // past the end: null
        assertThat(segment.read(150, 1000, segment.size(), false)).isNull();
        // by timestamp: first record with ts >= 1045 is in batch 4 (ts 1040..1049) at offset 95
        FileRecords.TimestampAndOffset found = segment.findOffsetByTimestamp(1045, 50).orElseThrow();
        assertThat(found.offset).isEqualTo(95);
        assertThat(found.timestamp).isEqualTo(1045);
        assertThat(segment.maxTimestampSoFar()).isEqualTo(1099);
        segment.close();
    }

    @Test
    void aReopenedSegmentKnowsItsMaxTimestampAndAnUntouchedCloseLeavesTheTimeIndexAsItWas() throws Exception {
        LogSegment segment = LogSegment.open(dir, 0, 1000, 4096, 0);
        fill(segment, 10); // max timestamp 1099 at offset 99
        segment.close();
        byte[] timeIndex = Files.readAllBytes(SegmentFiles.timeIndexFile(dir, 0).toPath());
        assertThat(timeIndex).isNotEmpty();

        // opened and closed without a look at its timestamps (an idle partition's restart): the index is unchanged
        LogSegment.open(dir, 0, 1000, 4096, 0).close();
        assertThat(Files.readAllBytes(SegmentFiles.timeIndexFile(dir, 0).toPath())).isEqualTo(timeIndex);

        // the max timestamp is read from the index when first needed
        LogSegment reopened = LogSegment.open(dir, 0, 1000, 4096, 0);
        assertThat(reopened.maxTimestampAndOffsetSoFar().timestamp()).isEqualTo(1099);
        assertThat(reopened.maxTimestampAndOffsetSoFar().offset()).isEqualTo(99);
        assertThat(reopened.largestTimestamp()).isEqualTo(1099);
        reopened.close();

        // an append right after the open (nothing read before) still compares with the stored max
        LogSegment appended = LogSegment.open(dir, 0, 1000, 4096, 0);
        MemoryRecords older = TestBatches.withValueSize(500, 10, 100);
        older.batches().iterator().next().setLastOffset(109);
        appended.append(109, 509, older);
        assertThat(appended.maxTimestampSoFar()).isEqualTo(1099);
        appended.close();
    }

    @Test
    void aTruncationSurvivesAPowerLossWithoutALaterFsync() throws Exception {
        PowerCutFiles files = new PowerCutFiles(dir, Long.MAX_VALUE);
        int twoBatches;
        try (AutoCloseable ignored = StorageFiles.install(dir, files)) {
            LogSegment segment = LogSegment.open(dir, 0, 1000, 4096, 0);
            List<Integer> sizes = fill(segment, 5);
            twoBatches = sizes.get(0) + sizes.get(1);
            segment.flush();
            files.fsyncDirectory(dir);

            assertThat(segment.truncateTo(20)).isEqualTo(sizes.stream().skip(2).mapToInt(Integer::intValue).sum());
            files.cutNow(); // nothing fsynced the .log after the truncation
            segment.closeHandlers();
            files.applyCut();
        }

        LogSegment reopened = LogSegment.openForRecovery(dir, 0, 1000, 4096, 0);
        reopened.recover();
        assertThat(reopened.size()).as("the truncated batches do not come back").isEqualTo(twoBatches);
        assertThat(reopened.readNextOffset()).isEqualTo(20);
        reopened.close();
    }

    @Test
    void recoverTruncatesTornAndCorruptTails() throws Exception {
        LogSegment segment = LogSegment.open(dir, 0, 1000, 4096, 0);
        List<Integer> sizes = fill(segment, 5);
        int fourBatches = sizes.stream().limit(4).mapToInt(Integer::intValue).sum();
        segment.close();
        // Given a torn last batch
        try (RandomAccessFile raf = new RandomAccessFile(SegmentFiles.logFile(dir, 0), "rw")) {
            raf.setLength(fourBatches + 30);
        }
        LogSegment reopened = LogSegment.open(dir, 0, 1000, 4096, 0);
        assertThat(reopened.recover()).isEqualTo(30);
        assertThat(reopened.size()).isEqualTo(fourBatches);
        assertThat(reopened.readNextOffset()).isEqualTo(40);
        // Given a flipped byte inside the third batch's payload
        int threeBatches = sizes.get(0) + sizes.get(1);
        reopened.close();
        try (RandomAccessFile raf = new RandomAccessFile(SegmentFiles.logFile(dir, 0), "rw")) {
            raf.seek(threeBatches + 80);
            int b = raf.read();
            raf.seek(threeBatches + 80);
            raf.write(b ^ 0xff);
        }
        LogSegment corrupt = LogSegment.open(dir, 0, 1000, 4096, 0);
        corrupt.recover();
        assertThat(corrupt.readNextOffset()).isEqualTo(20);
        assertThat(TestBatches.offsets(corrupt.read(0, Integer.MAX_VALUE, corrupt.size(), false))).hasSize(20);
        corrupt.close();
    }

    @Test
    void rollsBySizeAgeIndexAndOffsetOverflow() throws Exception {
        LogSegment segment = LogSegment.open(dir, 0, 1000, 4096, 1_000);
        assertThat(segment.shouldRoll(1000, 100, 500, 10, 5_000)).as("empty segment never rolls by age").isFalse();
        fill(segment, 1);
        int size = segment.size();
        assertThat(segment.shouldRoll(size + 100, Long.MAX_VALUE, 101, 20, 0)).isTrue();
        assertThat(segment.shouldRoll(size + 100, Long.MAX_VALUE, 100, 20, 0)).isFalse();
        // age counts from the first batch's max timestamp (1009)
        assertThat(segment.shouldRoll(Integer.MAX_VALUE, 100, 1, 20, 1_109)).isFalse();
        assertThat(segment.shouldRoll(Integer.MAX_VALUE, 100, 1, 20, 1_110)).isTrue();
        assertThat(segment.shouldRoll(Integer.MAX_VALUE, Long.MAX_VALUE, 1, Integer.MAX_VALUE + 1L, 0)).isTrue();
        segment.close();
    }
}
