package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads bounded by a high watermark below the log end offset (a consumer on a leader whose followers lag, or on a
 * follower): the high watermark is kept as an offset and its position looked up by the first read it bounds.
 */
class HighWatermarkReadTest {
    @TempDir
    Path dir;
    LogManager manager;

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    /** Every offset a consumer bounded by the high watermark reads, from {@code from} on. */
    static List<Long> consume(PartitionLog log, long from) {
        List<Long> offsets = new ArrayList<>();
        long next = from;
        while (true) {
            List<Long> read = TestBatches.offsets(log.read(next, Integer.MAX_VALUE, log.highWatermark(), true)
                    .records());
            if (read.isEmpty()) {
                return offsets;
            }
            offsets.addAll(read);
            next = read.getLast() + 1;
        }
    }

    @Test
    void aConsumerReadsExactlyUpToTheHighWatermarkAcrossSegments() throws Exception {
        // Given 10 batches of 3 records in small segments (several batches each), nothing below the high watermark
        LogConfig config = LogConfig.defaults().withSegmentBytes(300);
        manager = LogManager.open(List.of(dir), config, new MockTime(PartitionLogTest.T0));
        PartitionLog log = manager.getOrCreate(new TopicPartition("hw", 0), Uuid.randomUuid(), config);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(TestBatches.batch(PartitionLogTest.T0, 3), 0);
        }
        assertThat(log.segmentList().all().size()).as("several segments").isGreaterThan(2);
        assertThat(consume(log, 0)).isEmpty();

        // When the high watermark moves to 12 (a batch boundary in an older segment), then to 21, then to the end
        log.updateHighWatermark(12);
        List<Long> first = consume(log, 0);
        assertThat(consume(log, 0)).as("again, from the looked-up position").isEqualTo(first);
        log.updateHighWatermark(21);
        List<Long> second = consume(log, 12);
        log.updateHighWatermark(log.logEndOffset());
        List<Long> third = consume(log, 21);

        // Then each read stops exactly at the high watermark
        assertThat(first).containsExactlyElementsOf(range(0, 12));
        assertThat(second).containsExactlyElementsOf(range(12, 21));
        assertThat(third).containsExactlyElementsOf(range(21, 30));
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(o);
        }
        return out;
    }
}
