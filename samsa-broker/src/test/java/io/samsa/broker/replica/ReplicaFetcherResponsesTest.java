package io.samsa.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.broker.replica.ReplicaFetcherThread.FetchState;
import io.samsa.storage.LogConfig;
import io.samsa.storage.LogManager;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.files.CheckpointWrites;
import io.samsa.storage.files.StorageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the follower fetcher does with its leader's answers, on real logs in one log directory. */
class ReplicaFetcherResponsesTest {
    static final int PARTITIONS = 5;
    static final int LEADER = 2;
    static final int LEADER_EPOCH = 3;

    @TempDir
    Path dir;

    @Test
    void theTruncationsOfOneOffsetsForLeaderEpochResponseCostOneCheckpointWrite() throws Exception {
        // Given five followed partitions of one log directory, each with 20 records (one-record batches, epoch 2 from
        // offset 10), on disk
        CheckpointWrites files = new CheckpointWrites(StorageFiles.REAL);
        try (AutoCloseable ignored = StorageFiles.install(dir, files);
             LogManager logs = LogManager.open(List.of(dir), LogConfig.defaults(), Time.SYSTEM)) {
            List<FetchState> states = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                states.add(new FetchState(followed(logs, new TopicPartition("failover", p)), LEADER_EPOCH));
            }
            logs.checkpoint(); // every recovery point on disk is 20
            files.reset();
            ReplicaFetcherResponses responses = new ReplicaFetcherResponses(LEADER,
                    ReplicationSettings.defaults("REPLICATION"), tp -> { });

            // When the new leader says epoch 2 ended at 15 for each (a divergent tail of 5 records everywhere)
            for (FetchState s : states) {
                responses.onEpochEndOffset(s, new EpochEndOffset().setPartition(s.partition.topicPartition()
                        .partition()).setLeaderEpoch(2).setEndOffset(15));
            }
            responses.checkpointTruncations(); // the end of the round

            // Then every log is cut at 15, and the directory's checkpoint says so after a single write
            assertThat(states).allSatisfy(s -> {
                assertThat(s.partition.log().logEndOffset()).isEqualTo(15);
                assertThat(s.fetchOffset).isEqualTo(15);
                assertThat(s.truncating).isFalse();
            });
            assertThat(files.writes()).containsOnly(Map.entry(dir.toAbsolutePath().normalize(), 1));
            assertThat(Files.readAllLines(dir.resolve(CheckpointWrites.RECOVERY_CHECKPOINT)).subList(2, 2 + PARTITIONS))
                    .containsExactlyInAnyOrder("failover 0 15", "failover 1 15", "failover 2 15", "failover 3 15",
                            "failover 4 15");
        }
    }

    /** A follower partition of broker 1 whose log holds offsets 0-9 in epoch 1 and 10-19 in epoch 2, all fsynced. */
    private static Partition followed(LogManager logs, TopicPartition tp) throws Exception {
        PartitionLog log = logs.getOrCreate(tp, Uuid.randomUuid(), LogConfig.defaults());
        for (int offset = 0; offset < 20; offset++) {
            log.appendAsLeader(PartitionTest.batch(1), offset < 10 ? 1 : 2);
        }
        log.flush();
        return new Partition(tp, UUID.randomUUID(), log, 1,
                (topicId, p, leaderEpoch, partitionEpoch, isr) -> new CompletableFuture<>(), broker -> true,
                () -> { }, System::currentTimeMillis, Runnable::run);
    }
}
