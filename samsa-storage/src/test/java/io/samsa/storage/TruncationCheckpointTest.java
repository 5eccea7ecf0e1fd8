package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import io.samsa.storage.files.CheckpointWrites;
import io.samsa.storage.files.PowerCutFiles;
import io.samsa.storage.files.StorageFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truncations of one fetcher round (Kafka's {@code LogManager.truncateTo}): however many partitions of a log
 * directory were truncated, their lowered recovery points reach the directory's checkpoint files in one write, before
 * any append above the truncation points, so that a power loss afterwards brings back no truncated record in any of
 * them (see {@link TruncationPowerLossTest} for the single-partition cases).
 */
class TruncationCheckpointTest {
    static final int PARTITIONS = 9; // three per directory
    static final int OLD = 40;
    static final int TARGET = 13;
    static final int NEW = 20;

    @TempDir
    Path root;

    @Test
    void oneRoundOfTruncationsWritesEachAffectedDirectoryOnceAndSurvivesAPowerLoss() throws Exception {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"), root.resolve("c"));
        Path untouched = dirs.get(2).toAbsolutePath();
        LogConfig config = LogConfig.defaults().withSegmentBytes(700).withIndexIntervalBytes(64)
                .withSegmentIndexBytes(1024);
        MockTime time = new MockTime(TruncationPowerLossTest.T0);
        Map<TopicPartition, List<String>> expectedOld = new HashMap<>();
        Map<TopicPartition, List<String>> fresh = new HashMap<>();
        PowerCutFiles power = new PowerCutFiles(root, Long.MAX_VALUE);
        CheckpointWrites files = new CheckpointWrites(power);
        try (AutoCloseable ignored = StorageFiles.install(root, files)) {
            LogManager manager = LogManager.open(dirs, config, time);
            List<PartitionLog> truncated = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition("failover", p);
                PartitionLog log = manager.getOrCreate(tp, Uuid.randomUuid(), config);
                List<String> old = appendValues(log, "old-" + p, OLD, 1);
                log.flush();
                if (!log.dir().getParent().toAbsolutePath().equals(untouched)) {
                    truncated.add(log);
                    expectedOld.put(tp, old.subList(0, TARGET));
                }
            }
            manager.checkpoint(); // every recovery point on disk is OLD, above the truncation
            files.reset();

            for (PartitionLog log : truncated) { // one round: the truncations, then its end
                assertThat(log.truncateTo(TARGET)).as(log.topicPartition().toString()).isTrue();
            }
            for (PartitionLog log : truncated) {
                log.checkpointTruncation();
            }

            assertThat(files.writes()).as("recovery-point checkpoint writes per directory")
                    .containsOnly(Map.entry(dirs.get(0).toAbsolutePath(), 1),
                            Map.entry(dirs.get(1).toAbsolutePath(), 1));
            for (PartitionLog log : truncated) { // the next round appends (not fsynced) and writes no checkpoint
                fresh.put(log.topicPartition(), appendValues(log, "new-" + log.topicPartition().partition(), NEW, 2));
                OffsetCheckpointFile.fsyncDirectory(log.dir()); // the new segments' entries, as an epoch write does
            }
            assertThat(files.writes().values()).containsOnly(1);

            power.cutNow();
            SimulationHooks.crash(manager);
            power.applyCut();
        }
        try (AutoCloseable noCut = StorageFiles.install(root, new PowerCutFiles(root, Long.MAX_VALUE));
             LogManager reopened = LogManager.open(dirs, config, time)) {
            expectedOld.forEach((tp, old) -> {
                String context = tp + " after the power loss";
                PartitionLog log = reopened.get(tp).orElseThrow();
                List<String> survived = PowerLossTest.readValues(log, context); // contiguous from 0 to the LEO
                assertThat(survived.size()).as(context).isBetween(TARGET, TARGET + NEW);
                assertThat(survived.subList(0, TARGET)).as(context).isEqualTo(old);
                assertThat(survived.subList(TARGET, survived.size())).as(context + ": only new records above it")
                        .isEqualTo(fresh.get(tp).subList(0, survived.size() - TARGET));
            });
        }
    }

    /** Appends {@code count} one-record batches, values {@code prefix-i} padded, under {@code leaderEpoch}. */
    private static List<String> appendValues(PartitionLog log, String prefix, int count, int leaderEpoch) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + "-" + i + "-" + "x".repeat(60));
            log.appendAsLeader(PowerLossTest.batch(-1, -1, List.of(values.getLast())), leaderEpoch);
        }
        return values;
    }
}
