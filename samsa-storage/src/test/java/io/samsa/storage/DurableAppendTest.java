package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flush.messages=1} (durable mode) on a real log: group-commit fsyncs, recovery point and its checkpoint. */
class DurableAppendTest {
    static final long T0 = PartitionLogTest.T0;
    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final LogConfig DURABLE = LogConfig.defaults().withFlushMessages(1).withSegmentBytes(64 * 1024)
            .withSegmentIndexBytes(4096);

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    LogManager manager;

    PartitionLog open(LogConfig config) throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.getOrCreate(TP, Uuid.randomUuid(), config);
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void concurrentDurableAppendsShareFsyncsAndAckOnlyBehindTheRecoveryPoint() throws Exception {
        PartitionLog log = open(DURABLE);
        ExecutorService producers = Executors.newFixedThreadPool(6);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        List<String> early = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            // When 6 threads append 600 batches (rolling segments on the way) and wait for their fsync
            List<CompletableFuture<CompletableFuture<Void>>> appended = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                appended.add(CompletableFuture.supplyAsync(() -> {
                    LogAppendInfo info = log.appendAsLeader(TestBatches.withValueSize(T0, 5, 100), 0);
                    assertThat(info.awaitFlush()).isTrue();
                    long end = info.lastOffset() + 1;
                    return log.flushedTo(end).whenComplete((v, e) -> {
                        if (log.recoveryPoint() < end) {
                            early.add("end " + end + " acked at recovery point " + log.recoveryPoint());
                        }
                    });
                }, producers));
            }
            for (CompletableFuture<CompletableFuture<Void>> a : appended) {
                acks.add(a.get(30, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            producers.shutdownNow();
        }

        // Then every acknowledgement came after the fsync that covered it, and fsyncs were shared
        assertThat(early).isEmpty();
        assertThat(log.logEndOffset()).isEqualTo(3_000);
        assertThat(log.recoveryPoint()).isEqualTo(3_000);
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        assertThat(log.groupCommitRounds()).as("fsync rounds for 600 appends").isPositive().isLessThan(600);
    }

    @Test
    void theDefaultModeNeverFsyncsOnTheAppendPath() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        for (int i = 0; i < 50; i++) {
            assertThat(log.appendAsLeader(TestBatches.batch(T0, 3), 0).awaitFlush()).isFalse();
        }
        assertThat(log.groupCommitRounds()).isZero();
        assertThat(log.recoveryPoint()).isZero();
    }

    @Test
    void aDuplicateOfABatchNotYetOnDiskWaitsForItsFsync() throws Exception {
        PartitionLog log = open(DURABLE);
        LogAppendInfo first = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 3, 9L, (short) 1, 0), 0);
        log.flushedTo(first.lastOffset() + 1).get(10, TimeUnit.SECONDS);
        LogAppendInfo retry = log.appendAsLeader(TestBatches.idempotent(Compression.NONE, T0, 3, 9L, (short) 1, 0), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.awaitFlush()).isFalse(); // the original is on disk
    }

    @Test
    void theRecoveryPointCheckpointFollowsTheFsyncsInBatches() throws Exception {
        PartitionLog log = open(DURABLE);
        manager.startBackgroundTasks(300_000, 50);
        for (int i = 0; i < 20; i++) {
            LogAppendInfo info = log.appendAsLeader(TestBatches.batch(T0, 2), 0);
            log.flushedTo(info.lastOffset() + 1).get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("recovery-point-offset-checkpoint")).content().isEqualTo("0\n1\norders 0 40\n"));
    }

    @Test
    void aFailedFsyncFailsTheAcknowledgementWithAStorageError() throws Exception {
        PartitionLog log = open(DURABLE);
        // Given a log whose leader-epoch-checkpoint was just renamed into place (as the first append at a new epoch
        // does before its data) and whose partition directory is then gone from under it (its files stay open and
        // writable)
        log.assignEpochStartOffset(0, 0);
        log.epochCache().persist();
        Path moved = dir.resolve("orders-0.moved");
        Files.move(log.dir(), moved);

        // When a durable append's group commit fsyncs the directory
        LogAppendInfo info = log.appendAsLeader(TestBatches.batch(T0, 2), 0);

        // Then the acknowledgement fails with KAFKA_STORAGE_ERROR, and so does every later one
        assertThatThrownBy(() -> log.flushedTo(info.lastOffset() + 1).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KafkaStorageException.class);
        assertThat(log.recoveryPoint()).isZero();
        Files.move(moved, log.dir());
        LogAppendInfo later = log.appendAsLeader(TestBatches.batch(T0, 2), 0);
        assertThatThrownBy(() -> log.flushedTo(later.lastOffset() + 1).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KafkaStorageException.class);
    }

    @Test
    void durableRecordsSurviveACrashAndTheLogReopensAtTheirEnd() throws Exception {
        PartitionLog log = open(DURABLE);
        long end = 0;
        for (int i = 0; i < 300; i++) { // several segments
            LogAppendInfo info = log.appendAsLeader(TestBatches.withValueSize(T0, 5, 100), 0);
            end = info.lastOffset() + 1;
            log.flushedTo(end).get(10, TimeUnit.SECONDS);
        }
        manager.checkpoint();
        manager.crashForTesting();

        manager = LogManager.open(List.of(dir), DURABLE, time);
        PartitionLog reopened = manager.get(TP).orElseThrow();
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        assertThat(LogManagerRecoveryTest.readAll(reopened)).hasSize((int) end);
    }
}
