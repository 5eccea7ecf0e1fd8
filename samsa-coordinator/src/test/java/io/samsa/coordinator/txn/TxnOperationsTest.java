package io.samsa.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.coordinator.runtime.ManualTimer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ConcurrentTransactionsException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's state machine on a manual clock, a same-thread shard, an in-memory {@code __transaction_state}
 * (written through the real codec) and a marker queue the test completes by hand.
 */
class TxnOperationsTest {
    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("orders", 1);
    private static final String ID = "app";

    private final ManualTimer timer = new ManualTimer();
    /** The partition's log: encoded key and value (null for a tombstone). */
    private final List<byte[][]> log = new ArrayList<>();
    private boolean failWrites;
    private final List<Runnable> markersWritten = new ArrayList<>();
    private final List<TxnMetadata> markersSent = new ArrayList<>();
    private final AtomicLong producerIds = new AtomicLong(1000);
    private final TxnConfig config = TxnConfig.defaults();
    private final TxnOperations ops = new TxnOperations(config, producerIds::getAndIncrement,
            (shard, prepared, onWritten) -> {
                markersSent.add(prepared);
                markersWritten.add(onWritten);
            });
    private TxnShard shard = newShard();

    private TxnShard newShard() {
        TxnShard s = new TxnShard(0, 5, (partition, records) -> {
            if (failWrites) {
                throw new NotLeaderOrFollowerException("not the leader (test)");
            }
            for (TransactionLogCodec.Entry e : records) {
                log.add(new byte[][] {TransactionLogCodec.key(e.transactionalId()),
                        e.value() == null ? null : TransactionLogCodec.value(e.value(), (short) 1)});
            }
        }, timer, Runnable::run);
        s.markLoaded();
        return s;
    }

    /** A new shard replaying the log, as after a restart or failover. */
    private TxnShard reloaded() {
        TxnShard s = new TxnShard(0, 6, (partition, records) -> { }, timer, Runnable::run);
        for (byte[][] r : log) {
            TransactionLogCodec.Entry e = TransactionLogCodec.decode(ByteBuffer.wrap(r[0]),
                    r[1] == null ? null : ByteBuffer.wrap(r[1]));
            s.replay(e.transactionalId(), e.value());
        }
        s.markLoaded();
        return s;
    }

    private TxnOperations.ProducerIdAndEpoch init() {
        return ops.initProducerId(shard, ID, 60_000, -1, (short) -1);
    }

    private void writeAllMarkers() {
        List<Runnable> pending = new ArrayList<>(markersWritten);
        markersWritten.clear();
        pending.forEach(Runnable::run);
    }

    @Test
    void initGivesEpochZeroThenBumpsItForEachNewInstance() {
        TxnOperations.ProducerIdAndEpoch first = init();
        assertThat(first).isEqualTo(new TxnOperations.ProducerIdAndEpoch(1000, (short) 0));
        TxnOperations.ProducerIdAndEpoch second = init();
        assertThat(second).isEqualTo(new TxnOperations.ProducerIdAndEpoch(1000, (short) 1));
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.EMPTY);
        assertThat(log).hasSize(2);
    }

    @Test
    void commitGoesThroughPrepareToCompleteOnceEveryMarkerIsWritten() {
        // Given a transaction over two partitions
        TxnOperations.ProducerIdAndEpoch p = init();
        timer.advance(10);
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 0);
        long started = shard.get(ID).txnStartTimestamp();
        assertThat(started).isEqualTo(timer.nowMs());
        timer.advance(10);
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(B), (short) 0);
        assertThat(shard.get(ID).partitions()).containsExactlyInAnyOrder(A, B);
        assertThat(shard.get(ID).txnStartTimestamp()).isEqualTo(started);

        // When it commits
        TxnOperations.ProducerIdAndEpoch ended = ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true,
                (short) 0);

        // Then PrepareCommit is written and the markers go out for both partitions
        assertThat(ended).isEqualTo(p);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(markersSent).singleElement().satisfies(m -> assertThat(m.partitions()).containsExactlyInAnyOrder(A, B));
        // a retry meanwhile is told to wait, an abort is refused
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0))
                .isInstanceOf(ConcurrentTransactionsException.class);
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), false, (short) 0))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThatThrownBy(this::init).isInstanceOf(ConcurrentTransactionsException.class);

        // When the markers are written, CompleteCommit follows with no partitions
        writeAllMarkers();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(shard.get(ID).partitions()).isEmpty();
        // and a retried EndTxn commit is answered NONE
        assertThat(ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0)).isEqualTo(p);
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), false, (short) 0))
                .isInstanceOf(InvalidTxnStateException.class);
    }

    @Test
    void endingWithoutATransactionOrWithAnotherProducerIdIsRefused() {
        TxnOperations.ProducerIdAndEpoch p = init();
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0))
                .isInstanceOf(InvalidTxnStateException.class);
        assertThatThrownBy(() -> ops.endTxn(shard, ID, 42, p.producerEpoch(), true, (short) 0))
                .isInstanceOf(InvalidPidMappingException.class);
        assertThatThrownBy(() -> ops.addPartitions(shard, "unknown", p.producerId(), (short) 0, Set.of(A), (short) 0))
                .isInstanceOf(InvalidPidMappingException.class);
    }

    @Test
    void aNewInstanceAbortsTheOpenTransactionAndFencesTheOldOne() {
        // Given an instance with an open transaction
        TxnOperations.ProducerIdAndEpoch zombie = init();
        ops.addPartitions(shard, ID, zombie.producerId(), zombie.producerEpoch(), Set.of(A), (short) 0);

        // When a new instance initializes, it is told to retry while the transaction is aborted with a fencing epoch
        assertThatThrownBy(this::init).isInstanceOf(ConcurrentTransactionsException.class);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(shard.get(ID).producerEpoch()).isEqualTo((short) 1);
        writeAllMarkers();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);

        // Then its retry gets a yet higher epoch
        assertThat(init()).isEqualTo(new TxnOperations.ProducerIdAndEpoch(zombie.producerId(), (short) 2));

        // And the zombie is fenced
        assertThatThrownBy(() -> ops.endTxn(shard, ID, zombie.producerId(), zombie.producerEpoch(), true, (short) 0))
                .isInstanceOf(ProducerFencedException.class);
        assertThatThrownBy(() -> ops.addPartitions(shard, ID, zombie.producerId(), zombie.producerEpoch(), Set.of(A),
                (short) 0)).isInstanceOf(ProducerFencedException.class);
    }

    @Test
    void kip360RecoveryBumpsTheEpochOfTheSameProducerAndRepeatsARetriedAnswer() {
        TxnOperations.ProducerIdAndEpoch p = init();
        TxnOperations.ProducerIdAndEpoch bumped = ops.initProducerId(shard, ID, 60_000, p.producerId(),
                p.producerEpoch());
        assertThat(bumped).isEqualTo(new TxnOperations.ProducerIdAndEpoch(p.producerId(), (short) 1));
        // the same request again (its answer was lost): the same epoch, not another bump
        assertThat(ops.initProducerId(shard, ID, 60_000, p.producerId(), p.producerEpoch())).isEqualTo(bumped);
        // an epoch that is neither current nor last is fenced, and so is another producer id
        assertThatThrownBy(() -> ops.initProducerId(shard, ID, 60_000, p.producerId(), (short) 7))
                .isInstanceOf(ProducerFencedException.class);
        assertThatThrownBy(() -> ops.initProducerId(shard, ID, 60_000, 9999, (short) 0))
                .isInstanceOf(ProducerFencedException.class);
    }

    @Test
    void anExhaustedEpochMovesToANewProducerId() {
        init();
        TxnMetadata m = shard.get(ID);
        shard.put(new TxnMetadata(ID, m.producerId(), -1, -1, (short) (Short.MAX_VALUE - 1), (short) -1, 60_000,
                TransactionState.COMPLETE_COMMIT, Set.of(), -1, timer.nowMs(), (short) 0, false));
        TxnOperations.ProducerIdAndEpoch next = init();
        assertThat(next.producerId()).isNotEqualTo(m.producerId());
        assertThat(next.producerEpoch()).isZero();
        assertThat(shard.get(ID).previousProducerId()).isEqualTo(m.producerId());
    }

    @Test
    void transactionsV2BumpTheEpochAtEachEnd() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 2);
        TxnOperations.ProducerIdAndEpoch ended = ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true,
                (short) 2);
        assertThat(ended.producerEpoch()).isEqualTo((short) (p.producerEpoch() + 1));
        // a retry with the old epoch while the markers are written waits, and after completion answers NONE
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 2))
                .isInstanceOf(ConcurrentTransactionsException.class);
        writeAllMarkers();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 2)).isEqualTo(ended);
        // the next transaction runs at the new epoch
        ops.addPartitions(shard, ID, ended.producerId(), ended.producerEpoch(), Set.of(B), (short) 2);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.ONGOING);
    }

    @Test
    void transactionsV2AbortATransactionToWhichNoPartitionWasAdded() {
        // Given: a TV2 producer whose first send was refused before its partition joined the transaction
        TxnOperations.ProducerIdAndEpoch p = init();

        // When it aborts (Kafka 4.3: Empty -> PrepareAbort without markers -> CompleteAbort, the epoch bumped)
        TxnOperations.ProducerIdAndEpoch aborted = ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), false,
                (short) 2);
        writeAllMarkers();

        // Then it continues at the next epoch; a commit of nothing is still an invalid state
        assertThat(aborted.producerEpoch()).isEqualTo((short) (p.producerEpoch() + 1));
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), false, (short) 2))
                .as("a retry of the abort").isEqualTo(aborted);
        assertThatThrownBy(() -> ops.endTxn(shard, ID, aborted.producerId(), aborted.producerEpoch(), true,
                (short) 2)).isInstanceOf(InvalidTxnStateException.class);
        TxnOperations.ProducerIdAndEpoch again = ops.endTxn(shard, ID, aborted.producerId(),
                aborted.producerEpoch(), false, (short) 2);
        assertThat(again.producerEpoch()).isEqualTo((short) (aborted.producerEpoch() + 1));
    }

    @Test
    void theNextTransactionsFirstAddWaitsForTheMarkersInsteadOfConcurrentTransactions() {
        // Given a committed transaction whose markers are still being written
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 0);
        ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.PREPARE_COMMIT);

        // When the producer's next transaction adds a partition, its group's offsets, and a broker verifies
        CompletableFuture<Void> add = ops.addPartitionsWhenComplete(shard, ID, p.producerId(), p.producerEpoch(),
                Set.of(B), (short) 0);
        CompletableFuture<Map<TopicPartition, Errors>> verified = ops.verifyWhenComplete(shard, ID, p.producerId(),
                p.producerEpoch(), Set.of(A, B));

        // Then they are held, unanswered and unwritten, while the transaction completes
        timer.advance(50);
        assertThat(add).isNotDone();
        assertThat(verified).isNotDone();
        assertThat(shard.heldCount(ID)).isEqualTo(2);
        int written = log.size();

        // When the markers are written: CompleteCommit, then the add runs (a new transaction with B), then the check
        writeAllMarkers();
        assertThat(add).isCompletedWithValue(null);
        assertThat(verified).isCompletedWithValue(Map.of(A, Errors.TRANSACTION_ABORTABLE, B, Errors.NONE));
        assertThat(log).hasSize(written + 2);
        TxnMetadata m = shard.get(ID);
        assertThat(m.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(m.partitions()).containsExactly(B);
        assertThat(shard.heldCount(ID)).isZero();
        // and the hold's timer does not fire again later
        timer.advance(TxnOperations.HOLD_MAX_MS);
        assertThat(shard.get(ID).partitions()).containsExactly(B);
    }

    @Test
    void aHeldAddIsAnsweredConcurrentTransactionsWhenTheMarkersTakeTooLong() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 2);
        TxnOperations.ProducerIdAndEpoch ended = ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), false,
                (short) 2);

        // a stale epoch is fenced at once, not held
        assertThat(ops.addPartitionsWhenComplete(shard, ID, p.producerId(), p.producerEpoch(), Set.of(B), (short) 2))
                .isCompletedExceptionally()
                .failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ProducerFencedException.class);
        // the bumped epoch (Transactions V2) waits, up to HOLD_MAX_MS
        CompletableFuture<Void> add = ops.addPartitionsWhenComplete(shard, ID, ended.producerId(),
                ended.producerEpoch(), Set.of(B), (short) 2);
        timer.advance(TxnOperations.HOLD_MAX_MS - 1);
        assertThat(add).isNotDone();
        timer.advance(1);
        assertThat(add).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConcurrentTransactionsException.class);
        assertThat(shard.heldCount(ID)).isZero();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.PREPARE_ABORT);

        // the client's retry after the markers are written joins a new transaction
        writeAllMarkers();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(ops.addPartitionsWhenComplete(shard, ID, ended.producerId(), ended.producerEpoch(), Set.of(B),
                (short) 2)).isCompletedWithValue(null);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.ONGOING);
    }

    @Test
    void heldRequestsFailWithNotCoordinatorWhenTheShardUnloads() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 0);
        ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0);
        CompletableFuture<Void> add = ops.addPartitionsWhenComplete(shard, ID, p.producerId(), p.producerEpoch(),
                Set.of(B), (short) 0);

        shard.unload();

        assertThat(add).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(NotCoordinatorException.class);
        // the markers completing on the unloaded shard write nothing
        int written = log.size();
        writeAllMarkers();
        assertThat(log).hasSize(written);
    }

    @Test
    void verificationTellsWhichPartitionsAreInTheTransaction() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 0);
        assertThat(ops.verify(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A, B)))
                .isEqualTo(Map.of(A, Errors.NONE, B, Errors.TRANSACTION_ABORTABLE));
        assertThatThrownBy(() -> ops.verify(shard, ID, p.producerId(), (short) 9, Set.of(A)))
                .isInstanceOf(ProducerFencedException.class);
        assertThat(shard.get(ID).partitions()).containsExactly(A);
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedWithAFencingEpoch() {
        TxnOperations.ProducerIdAndEpoch p = ops.initProducerId(shard, ID, 5_000, -1, (short) -1);
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 0);
        timer.advance(5_000);
        ops.abortTimedOut(shard);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.ONGOING); // not past it yet
        timer.advance(1);
        ops.abortTimedOut(shard);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(shard.get(ID).producerEpoch()).isEqualTo((short) 1);
        writeAllMarkers();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0))
                .isInstanceOf(ProducerFencedException.class);
    }

    @Test
    void idleIdsExpireWithATombstoneButOpenTransactionsDoNot() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.initProducerId(shard, "busy", 60_000, -1, (short) -1);
        TxnMetadata busy = shard.get("busy");
        ops.addPartitions(shard, "busy", busy.producerId(), busy.producerEpoch(), Set.of(A), (short) 0);
        timer.advance(config.idExpirationMs() + 1);
        ops.expire(shard);
        assertThat(shard.get(ID)).isNull();
        assertThat(shard.get("busy")).isNotNull();
        assertThat(log.getLast()[1]).isNull(); // the tombstone
        assertThat(reloaded().get(ID)).isNull();
        assertThat(p.producerEpoch()).isZero();
    }

    @Test
    void aFailedWriteChangesNothingAndAFailedFenceIsNotBumpedTwice() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A), (short) 0);
        failWrites = true;
        assertThatThrownBy(() -> ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), true, (short) 0))
                .isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.ONGOING);
        assertThatThrownBy(this::init).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(shard.get(ID).hasFailedEpochFence()).isTrue();
        failWrites = false;
        assertThatThrownBy(this::init).isInstanceOf(ConcurrentTransactionsException.class);
        assertThat(shard.get(ID).producerEpoch()).isEqualTo((short) 1); // bumped once, not twice
    }

    @Test
    void aReloadedShardHasTheSameStateAndResendsPreparedMarkers() {
        TxnOperations.ProducerIdAndEpoch p = init();
        ops.addPartitions(shard, ID, p.producerId(), p.producerEpoch(), Set.of(A, B), (short) 0);
        ops.endTxn(shard, ID, p.producerId(), p.producerEpoch(), false, (short) 0);
        TxnMetadata before = shard.get(ID);

        // When the partition is loaded by another coordinator before the markers are written
        shard.unload();
        shard = reloaded();

        // Then the state is the same and its markers are resent; completing them completes the abort
        TxnMetadata after = shard.get(ID);
        assertThat(after.state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(after.producerId()).isEqualTo(before.producerId());
        assertThat(after.producerEpoch()).isEqualTo(before.producerEpoch());
        assertThat(after.partitions()).isEqualTo(before.partitions());
        assertThat(after.txnStartTimestamp()).isEqualTo(before.txnStartTimestamp());
        markersWritten.clear();
        shard.all().stream().filter(m -> m.state().isPrepare()).forEach(m -> ops.sendMarkers(shard, m));
        assertThat(markersWritten).hasSize(1);
        writeAllMarkers();
        assertThat(shard.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
    }

    @Test
    void timeoutsAboveTheMaximumAreInvalid() {
        assertThat(ops.validTimeout(config.maxTimeoutMs())).isTrue();
        assertThat(ops.validTimeout(config.maxTimeoutMs() + 1)).isFalse();
        assertThat(ops.validTimeout(0)).isFalse();
    }
}
