package io.samsa.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.LogManager;
import io.samsa.storage.MockTime;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.files.FullDiskFiles;
import io.samsa.storage.files.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner on a full disk: a group whose output cannot be written is left as it was and cleaned later. */
class CleanerFullDiskTest {
    static final TopicPartition TP = new TopicPartition("table", 0);

    @TempDir
    Path dir;
    final MockTime time = new MockTime(LogCleanerTest.T0);
    final FullDiskFiles disk = new FullDiskFiles();
    LogManager manager;
    AutoCloseable installed;

    @AfterEach
    void close() throws Exception {
        disk.freeSpace();
        if (manager != null) {
            manager.close();
        }
        if (installed != null) {
            installed.close();
        }
    }

    @Test
    void aCleaningThatHitsAFullDiskLeavesTheLogAsItWasAndIsRetriedOnceSpaceReturns() throws Exception {
        // Given a compacted log with many overwritten keys
        installed = StorageFiles.install(dir, disk);
        manager = LogManager.open(List.of(dir), LogCleanerTest.COMPACTED, time, CleanerConfig.defaults());
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), LogCleanerTest.COMPACTED);
        List<KeyedLog.Entry> appended = KeyedLog.append(log, time, 30, 20, 0);
        int segmentsBefore = log.numberOfSegments();

        // When the disk is full while the cleaner writes its output
        disk.fillAfter(300);
        assertThat(manager.cleaner().cleanOnce()).isTrue();

        // Then every group is either swapped whole or untouched: a consumer replaying the log ends in the same state,
        // every record left is one that was appended, and no cleaner file is left behind
        List<KeyedLog.Entry> during = KeyedLog.read(log);
        assertThat(KeyedLog.state(during)).isEqualTo(KeyedLog.state(appended));
        assertThat(appended).containsAll(during);
        assertThat(log.logEndOffset()).isEqualTo(appended.size());
        try (Stream<Path> files = Files.list(log.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap"));
        }

        // When space returns and the cleaner's backoff has passed
        disk.freeSpace();
        time.sleep(61_000); // a failed log waits a minute before the cleaner tries it again
        while (manager.cleaner().cleanOnce()) {
            time.sleep(1);
        }

        // Then the log is compacted to the latest value per key
        assertThat(log.numberOfSegments()).isLessThan(segmentsBefore);
        assertThat(KeyedLog.state(KeyedLog.read(log))).isEqualTo(KeyedLog.state(appended));
    }
}
