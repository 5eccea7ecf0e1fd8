package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.files.PowerCutFiles;
import io.samsa.storage.files.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A power loss after a truncation ({@link PowerCutFiles}): the log was flushed and its recovery point checkpointed
 * above the truncation point, truncated (whole segments removed by rename, the segment holding the target cut), then
 * new data appended at the truncated offsets. Recovery must rescan from the truncation point: the log comes back as
 * the records below it plus a prefix of the new ones, never with a hole nor with truncated records (as Kafka, whose
 * {@code LogManager.truncateTo} checkpoints the recovery point right after the truncation).
 */
class TruncationPowerLossTest {
    static final long T0 = PartitionLogTest.T0;
    static final TopicPartition TP = new TopicPartition("truncated", 0);
    static final Uuid TOPIC_ID = Uuid.randomUuid();
    static final int OLD = 40;
    static final int TARGET = 13;
    static final int NEW = 25;

    /** What happens between the appends after the truncation and the power loss. */
    enum AfterTruncation {
        /** Nothing: the new records were never fsynced. */
        NOTHING,
        /** A flush of the first half of the new records (partial flush), the rest unflushed. */
        PARTIAL_FLUSH,
        /** A fsync of the partition directory only (as a leader-epoch checkpoint write does): new entries, no data. */
        DIRECTORY_FSYNC
    }

    @TempDir
    Path fallbackRoot;
    Path root;

    @BeforeEach
    void pickRoot() throws Exception {
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "samsa-truncation-")
                : fallbackRoot;
    }

    @AfterEach
    void deleteRoot() throws Exception {
        if (root != null && !root.equals(fallbackRoot)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AfterTruncation.class)
    void aPowerLossAfterATruncationLeavesNoHoleAndNoTruncatedRecords(AfterTruncation after) throws Exception {
        for (int appended = 0; appended <= NEW; appended++) {
            runOnce(after, appended);
        }
    }

    private void runOnce(AfterTruncation after, int appended) throws Exception {
        String context = after + " with " + appended + " new records";
        Path dir = root.resolve(after + "-" + appended);
        LogConfig config = LogConfig.defaults().withSegmentBytes(700).withIndexIntervalBytes(64)
                .withSegmentIndexBytes(1024);
        MockTime time = new MockTime(T0);
        List<String> old = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        PowerCutFiles files = new PowerCutFiles(dir, Long.MAX_VALUE);
        try (AutoCloseable ignored = StorageFiles.install(dir, files)) {
            LogManager manager = LogManager.open(List.of(dir), config, time);
            PartitionLog log = manager.getOrCreate(TP, TOPIC_ID, config);
            for (int i = 0; i < OLD; i++) {
                old.add("old-" + i + "-" + "o".repeat(60));
                log.appendAsLeader(PowerLossTest.batch(-1, -1, List.of(old.getLast())), 1);
            }
            log.flush();
            manager.checkpoint(); // the recovery point on disk is OLD, above the truncation
            int segmentsBefore = log.numberOfSegments();
            assertThat(log.truncateTo(TARGET)).as(context).isTrue();
            assertThat(log.logEndOffset()).as(context).isEqualTo(TARGET);
            assertThat(log.numberOfSegments()).as(context + ": whole segments removed").isLessThan(segmentsBefore);
            for (int i = 0; i < appended; i++) {
                fresh.add("new-" + i + "-" + "n".repeat(60));
                log.appendAsLeader(PowerLossTest.batch(-1, -1, List.of(fresh.getLast())), 2);
                if (after == AfterTruncation.PARTIAL_FLUSH && i == appended / 2) {
                    log.flushedTo(log.logEndOffset()).join();
                }
            }
            if (after == AfterTruncation.DIRECTORY_FSYNC) {
                OffsetCheckpointFile.fsyncDirectory(log.dir());
            }
            files.cutNow();
            manager.crashForTesting();
            files.applyCut();
        }
        // the power is back: reopen without writing anything
        try (AutoCloseable noCut = StorageFiles.install(dir, new PowerCutFiles(dir, Long.MAX_VALUE));
             LogManager reopened = LogManager.open(List.of(dir), config, time)) {
            PartitionLog log = reopened.get(TP).orElseThrow();
            List<String> survived = PowerLossTest.readValues(log, context); // contiguous offsets from 0 to the LEO
            assertThat(survived.size()).as(context).isGreaterThanOrEqualTo(TARGET)
                    .isLessThanOrEqualTo(TARGET + appended);
            assertThat(survived.subList(0, TARGET)).as(context).isEqualTo(old.subList(0, TARGET));
            assertThat(survived.subList(TARGET, survived.size())).as(context + ": only new records above the target")
                    .isEqualTo(fresh.subList(0, survived.size() - TARGET));
            assertThat(log.logEndOffset()).as(context).isEqualTo(survived.size());
            PowerLossTest.assertIndexesFindEveryOffset(log, survived.size(), context);
        }
    }
}
