package io.samsa.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.storage.segment.LogSegment;
import io.samsa.storage.segment.SegmentFiles;
import io.samsa.storage.txn.AbortedTxn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.storage.internals.log.TransactionIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions in one partition log (KIP-98): open/commit/abort, LSO, .txnindex, restart, truncation, follower. */
class TransactionsTest {
    static final long T0 = PartitionLogTest.T0;
    static final TopicPartition TP = new TopicPartition("txn", 0);
    static final long P1 = 1_000L;
    static final long P2 = 2_000L;
    static final short E0 = 0;

    @TempDir
    Path dir;
    final MockTime time = new MockTime(T0);
    final LogConfig config = LogConfig.defaults();
    LogManager manager;

    PartitionLog open() throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.getOrCreate(TP, Uuid.randomUuid(), config);
    }

    PartitionLog reopen() throws Exception {
        manager = LogManager.open(List.of(dir), config, time);
        return manager.get(TP).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    static MemoryRecords txnBatch(long producerId, short epoch, int sequence, int count) {
        return txnBatchAt(0, producerId, epoch, sequence, count);
    }

    static MemoryRecords txnBatchAt(long baseOffset, long producerId, short epoch, int sequence, int count) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, baseOffset, T0, producerId, epoch, sequence, true,
                baseOffset == 0 ? RecordBatch.NO_PARTITION_LEADER_EPOCH : 0);
        for (int i = 0; i < count; i++) {
            builder.append(new SimpleRecord(T0, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[8]));
        }
        return builder.build();
    }

    static MemoryRecords marker(long producerId, short epoch, int coordinatorEpoch, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(T0, producerId, epoch,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
    }

    static MemoryRecords markerAt(long offset, long producerId, short epoch, int coordinatorEpoch, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(offset, T0, 0, producerId, epoch,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
    }

    /** P1 commits [0,1]+marker 4; P2 aborts [3]+marker 5 around a plain batch at 2. Returns the log at HW = LEO. */
    private PartitionLog commitAndAbort(PartitionLog log) {
        log.appendAsLeader(txnBatch(P1, E0, 0, 2), 0); // 0..1
        log.appendAsLeader(TestBatches.batch(T0, 1), 0); // 2
        log.appendAsLeader(txnBatch(P2, E0, 0, 1), 0); // 3
        log.appendAsLeader(marker(P1, E0, 5, true), 0, AppendOrigin.COORDINATOR); // 4
        log.appendAsLeader(marker(P2, E0, 5, false), 0, AppendOrigin.COORDINATOR); // 5
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    @Test
    void openTransactionsHoldTheLastStableOffsetUntilTheirMarkerIsBelowTheHighWatermark() throws Exception {
        // Given a transaction of P1 at 0..1 and a plain batch at 2, all below the high watermark
        PartitionLog log = open();
        log.appendAsLeader(txnBatch(P1, E0, 0, 2), 0);
        log.appendAsLeader(TestBatches.batch(T0, 1), 0);
        log.updateHighWatermark(log.logEndOffset());

        // Then the LSO is the transaction's first offset
        assertThat(log.lastStableOffset()).isZero();
        assertThat(log.hasOngoingTransaction(P1, E0)).isTrue();
        assertThat(log.hasOngoingTransaction(P1, (short) 1)).isFalse();

        // When P2 opens one at 3 and P1 commits at 4
        log.appendAsLeader(txnBatch(P2, E0, 0, 1), 0);
        LogAppendInfo commit = log.appendAsLeader(marker(P1, E0, 5, true), 0, AppendOrigin.COORDINATOR);
        assertThat(commit.firstOffset()).isEqualTo(4);

        // Then while the commit marker is not below the high watermark the LSO stays at P1's first offset
        log.updateHighWatermark(4);
        assertThat(log.lastStableOffset()).isZero();
        // and once it is, the LSO moves to P2's open transaction
        log.updateHighWatermark(5);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(log.hasOngoingTransaction(P1, E0)).isFalse();

        // When P2 aborts at 5 and the high watermark passes it
        log.appendAsLeader(marker(P2, E0, 5, false), 0, AppendOrigin.COORDINATOR);
        log.updateHighWatermark(log.logEndOffset());

        // Then the LSO is the high watermark and the abort is indexed with the LSO right after it
        assertThat(log.lastStableOffset()).isEqualTo(6).isEqualTo(log.highWatermark());
        assertThat(log.collectAbortedTransactions(0, 6)).containsExactly(new AbortedTxn(P2, 3, 5, 6));
        assertThat(log.collectAbortedTransactions(6, 7)).isEmpty();
        assertThat(log.collectAbortedTransactions(0, 3)).isEmpty();
    }

    @Test
    void markersAreFencedByProducerAndCoordinatorEpochAndRefusedFromClients() throws Exception {
        PartitionLog log = open();
        log.appendAsLeader(txnBatch(P1, (short) 3, 0, 1), 0);
        log.appendAsLeader(marker(P1, (short) 3, 7, true), 0, AppendOrigin.COORDINATOR);

        assertThatThrownBy(() -> log.appendAsLeader(marker(P1, (short) 2, 7, false), 0, AppendOrigin.COORDINATOR))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> log.appendAsLeader(marker(P1, (short) 3, 6, false), 0, AppendOrigin.COORDINATOR))
                .isInstanceOf(TransactionCoordinatorFencedException.class);
        assertThatThrownBy(() -> log.appendAsLeader(marker(P1, (short) 3, 7, false), 0))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> log.appendAsLeader(txnBatch(P1, (short) 2, 1, 1), 0))
                .isInstanceOf(InvalidProducerEpochException.class);

        // a non-transactional batch while the producer's transaction is open
        log.appendAsLeader(txnBatch(P1, (short) 3, 1, 1), 0);
        assertThatThrownBy(() -> log.appendAsLeader(
                TestBatches.idempotent(Compression.NONE, T0, 1, P1, (short) 3, 2), 0))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThat(log.logEndOffset()).isEqualTo(3);

        // a newer coordinator epoch and a bumped producer epoch (KIP-890) are accepted
        log.appendAsLeader(marker(P1, (short) 4, 8, false), 0, AppendOrigin.COORDINATOR);
        assertThat(log.hasOngoingTransaction(P1, (short) 3)).isFalse();
        assertThat(log.activeProducers()).containsExactly(new ActiveProducer(P1, (short) 4, -1, T0, 8, -1));
    }

    @Test
    void abortsAreWrittenToTheTxnIndexInKafkasFormat() throws Exception {
        // Given a log with a committed and an aborted transaction
        PartitionLog log = commitAndAbort(open());
        Path txnIndex = SegmentFiles.txnIndexFile(log.dir(), 0).toPath();

        // Then the active segment's .txnindex holds one 34-byte entry
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(txnIndex));
        assertThat(bytes.remaining()).isEqualTo(34);
        assertThat(bytes.getShort()).isZero();
        assertThat(bytes.getLong()).isEqualTo(P2);
        assertThat(bytes.getLong()).isEqualTo(3);
        assertThat(bytes.getLong()).isEqualTo(5);
        assertThat(bytes.getLong()).isEqualTo(6);

        // and Kafka's own TransactionIndex reads it
        manager.close();
        manager = null;
        try (TransactionIndex kafka = new TransactionIndex(0, txnIndex.toFile())) {
            assertThat(kafka.allAbortedTxns()).hasSize(1);
            org.apache.kafka.storage.internals.log.AbortedTxn entry = kafka.allAbortedTxns().getFirst();
            assertThat(entry.producerId()).isEqualTo(P2);
            assertThat(entry.firstOffset()).isEqualTo(3);
            assertThat(entry.lastOffset()).isEqualTo(5);
            assertThat(entry.lastStableOffset()).isEqualTo(6);
        }
    }

    @Test
    void segmentsWithoutAbortsHaveNoTxnIndexFile() throws Exception {
        PartitionLog log = open();
        log.appendAsLeader(txnBatch(P1, E0, 0, 2), 0);
        log.appendAsLeader(marker(P1, E0, 0, true), 0, AppendOrigin.COORDINATOR);
        assertThat(SegmentFiles.txnIndexFile(log.dir(), 0)).doesNotExist();
    }

    @Test
    void aCleanRestartKeepsOpenTransactionsAndAbortedOnes() throws Exception {
        // Given aborted P2 and a transaction of P1 still open at 6, shut down cleanly
        PartitionLog log = commitAndAbort(open());
        log.appendAsLeader(txnBatch(P1, E0, 2, 1), 0); // 6
        log.updateHighWatermark(log.logEndOffset());
        manager.close();

        // When it is reopened
        PartitionLog again = reopen();
        again.updateHighWatermark(again.logEndOffset());

        // Then the open transaction still holds the LSO and the abort is still known
        assertThat(again.lastStableOffset()).isEqualTo(6);
        assertThat(again.hasOngoingTransaction(P1, E0)).isTrue();
        assertThat(again.collectAbortedTransactions(0, 7)).containsExactly(new AbortedTxn(P2, 3, 5, 6));

        // and the coordinator epochs of the snapshot still fence stale markers
        assertThatThrownBy(() -> again.appendAsLeader(marker(P2, E0, 4, true), 0, AppendOrigin.COORDINATOR))
                .isInstanceOf(TransactionCoordinatorFencedException.class);
        assertThat(again.activeProducers()).extracting(ActiveProducer::producerId, ActiveProducer::coordinatorEpoch,
                ActiveProducer::currentTxnStartOffset).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(P1, 5, 6L), org.assertj.core.groups.Tuple.tuple(P2, 5, -1L));

        // and a commit marker closes the transaction it remembers
        again.appendAsLeader(marker(P1, E0, 5, true), 0, AppendOrigin.COORDINATOR);
        again.updateHighWatermark(again.logEndOffset());
        assertThat(again.lastStableOffset()).isEqualTo(8);
    }

    @Test
    void aCrashRebuildsTheTxnIndexAndOpenTransactionsByReplay() throws Exception {
        // Given aborted P2 and an open transaction of P1, then a crash that lost the .txnindex
        PartitionLog log = commitAndAbort(open());
        log.appendAsLeader(txnBatch(P1, E0, 2, 1), 0); // 6
        log.updateHighWatermark(log.logEndOffset());
        manager.checkpoint();
        Path txnIndex = SegmentFiles.txnIndexFile(log.dir(), 0).toPath();
        manager.crashForTesting();
        Files.delete(txnIndex);

        // When it is reopened
        PartitionLog again = reopen();
        again.updateHighWatermark(again.logEndOffset());

        // Then both are rebuilt from the log
        assertThat(again.collectAbortedTransactions(0, 7)).containsExactly(new AbortedTxn(P2, 3, 5, 6));
        assertThat(Files.size(txnIndex)).isEqualTo(34);
        assertThat(again.lastStableOffset()).isEqualTo(6);
        assertThat(again.hasOngoingTransaction(P1, E0)).isTrue();
    }

    @Test
    void truncatingAwayAnAbortMarkerReopensItsTransaction() throws Exception {
        // Given an aborted transaction whose marker is at 5
        PartitionLog log = commitAndAbort(open());

        // When a follower truncates to 5
        log.truncateTo(5);

        // Then the abort is gone from the index and P2's transaction is open again
        assertThat(log.collectAbortedTransactions(0, 10)).isEmpty();
        assertThat(Files.size(SegmentFiles.txnIndexFile(log.dir(), 0).toPath())).isZero();
        assertThat(log.hasOngoingTransaction(P2, E0)).isTrue();
        assertThat(log.lastStableOffset()).isEqualTo(3);

        // and the leader's abort at 5 is replicated again
        log.appendAsFollower(markerAt(5, P2, E0, 5, false));
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.collectAbortedTransactions(0, 10)).containsExactly(new AbortedTxn(P2, 3, 5, 6));
        assertThat(log.lastStableOffset()).isEqualTo(6);
    }

    @Test
    void truncateFullyForgetsTransactions() throws Exception {
        PartitionLog log = commitAndAbort(open());
        log.appendAsLeader(txnBatch(P1, E0, 2, 1), 0);
        log.truncateFullyAndStartAt(100);
        assertThat(log.collectAbortedTransactions(0, 200)).isEmpty();
        assertThat(log.hasOngoingTransaction(P1, E0)).isFalse();
        assertThat(log.lastStableOffset()).isEqualTo(100);
    }

    @Test
    void aFollowerTracksTransactionsFromTheLeadersBatches() throws Exception {
        // Given a follower that copies an aborted and an open transaction
        PartitionLog log = open();
        log.appendAsFollower(ReplicaBatches.concat(List.of(txnBatchAt(0, P1, E0, 0, 2), txnBatchAt(2, P2, E0, 0, 1),
                markerAt(3, P1, E0, 1, false))));
        log.updateHighWatermark(log.logEndOffset());

        // Then it knows both, as the leader does
        assertThat(log.collectAbortedTransactions(0, 4)).containsExactly(new AbortedTxn(P1, 0, 3, 2));
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.hasOngoingTransaction(P2, E0)).isTrue();
        // and stale markers from the leader are taken as they are (replication origin)
        log.appendAsFollower(markerAt(4, P2, E0, 0, true));
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isEqualTo(5);
    }

    @Test
    void abortedTransactionsAreCollectedAcrossSegments() throws Exception {
        // Given a transaction starting in the first segment and aborted in a later one
        LogConfig small = config.withSegmentBytes(300);
        manager = LogManager.open(List.of(dir), small, time);
        PartitionLog log = manager.getOrCreate(TP, Uuid.randomUuid(), small);
        List<Long> firsts = new ArrayList<>();
        firsts.add(log.appendAsLeader(txnBatch(P1, E0, 0, 2), 0).firstOffset());
        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(TestBatches.batch(T0, 2), 0);
        }
        long abortAt = log.appendAsLeader(marker(P1, E0, 0, false), 0, AppendOrigin.COORDINATOR).firstOffset();
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        LogSegment markerSegment = log.segments().getLast();
        assertThat(markerSegment.txnIndex().all()).hasSize(1);

        // Then a fetch from the first segment sees it
        assertThat(log.collectAbortedTransactions(0, 2))
                .containsExactly(new AbortedTxn(P1, 0, abortAt, abortAt + 1));

        // and DeleteRecords past the open part keeps the LSO at or above the log start
        log.appendAsLeader(txnBatch(P2, E0, 0, 1), 0);
        log.updateHighWatermark(log.logEndOffset());
        long p2First = log.logEndOffset() - 1;
        assertThat(log.lastStableOffset()).isEqualTo(p2First);
        log.deleteRecordsBefore(log.highWatermark());
        assertThat(log.lastStableOffset()).isEqualTo(log.logStartOffset());
    }
}
