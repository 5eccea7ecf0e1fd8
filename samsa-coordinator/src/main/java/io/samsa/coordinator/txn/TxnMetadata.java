package io.samsa.coordinator.txn;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The coordinator's state of one transactional id (Kafka's {@code TransactionMetadata}), immutable: each
 * {@code prepare*} method returns the {@link TxnTransit} to write, and {@link #complete} the state once the write
 * is acknowledged. Field meanings as in {@link TxnTransit}; {@code hasFailedEpochFence} is true after a fencing
 * abort could not be written (the epoch is then not bumped again).
 */
public record TxnMetadata(String transactionalId, long producerId, long previousProducerId, long nextProducerId,
                          short producerEpoch, short lastProducerEpoch, int txnTimeoutMs, TransactionState state,
                          Set<TopicPartition> partitions, long txnStartTimestamp, long txnLastUpdateTimestamp,
                          short clientTransactionVersion, boolean hasFailedEpochFence) {
    private static final long NO_PID = RecordBatch.NO_PRODUCER_ID;
    private static final short NO_EPOCH = RecordBatch.NO_PRODUCER_EPOCH;

    public TxnMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** A new transactional id with producer id {@code producerId} and no epoch yet (state Empty). */
    public static TxnMetadata fresh(String transactionalId, long producerId, int txnTimeoutMs, long nowMs) {
        return new TxnMetadata(transactionalId, producerId, NO_PID, NO_PID, NO_EPOCH, NO_EPOCH, txnTimeoutMs,
                TransactionState.EMPTY, Set.of(), -1, nowMs, (short) 0, false);
    }

    /** The state a replayed log record describes. */
    public static TxnMetadata fromLog(String transactionalId, TxnTransit t) {
        return new TxnMetadata(transactionalId, t.producerId(), t.prevProducerId(), t.nextProducerId(),
                t.producerEpoch(), NO_EPOCH, t.txnTimeoutMs(), t.state(), t.partitions(), t.txnStartTimestamp(),
                t.txnLastUpdateTimestamp(), t.clientTransactionVersion(), false);
    }

    /** True when no further epoch may be handed out: epochs stop at {@code Short.MAX_VALUE - 1} (fencing needs one). */
    public static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    public boolean isProducerEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    /** True when {@code clientTransactionVersion} bumps the epoch at every EndTxn (KIP-890 part 2, TV2). */
    public boolean supportsEpochBump() {
        return clientTransactionVersion >= 2;
    }

    /** InitProducerId while Ongoing: the epoch that fences the current producer (the abort is written with it). */
    public short fencedEpoch() {
        if (producerEpoch == Short.MAX_VALUE) {
            throw new IllegalStateException("Cannot fence producer with epoch equal to Short.MaxValue");
        }
        return hasFailedEpochFence ? producerEpoch : (short) (producerEpoch + 1);
    }

    /**
     * InitProducerId from Empty / Complete*: the next epoch (KIP-360 when {@code expectedEpoch} is given: a retry
     * gets the current epoch again).
     *
     * @throws ProducerFencedException when {@code expectedEpoch} is neither the current nor the last epoch
     */
    public TxnTransit prepareIncrementProducerEpoch(int newTxnTimeoutMs, Short expectedEpoch, long nowMs) {
        if (isProducerEpochExhausted()) {
            throw new IllegalStateException("Cannot allocate any more producer epochs for producerId " + producerId);
        }
        short bumped = (short) (producerEpoch + 1);
        short next;
        short last;
        if (expectedEpoch == null) {
            next = bumped;
            last = NO_EPOCH;
        } else if (producerEpoch == NO_EPOCH || expectedEpoch == producerEpoch) {
            next = bumped;
            last = producerEpoch;
        } else if (expectedEpoch == lastProducerEpoch) {
            next = producerEpoch;
            last = lastProducerEpoch;
        } else {
            throw new ProducerFencedException("Expected producer epoch " + expectedEpoch + " does not match current "
                    + "producer epoch " + producerEpoch + " or previous producer epoch " + lastProducerEpoch);
        }
        return transit(TransactionState.EMPTY, producerId, NO_PID, next, last, newTxnTimeoutMs, Set.of(), -1, nowMs,
                clientTransactionVersion);
    }

    /** InitProducerId with the epoch exhausted: a new producer id at epoch 0. */
    public TxnTransit prepareProducerIdRotation(long newProducerId, int newTxnTimeoutMs, long nowMs,
                                                boolean recordLastEpoch) {
        if (state.isPending()) {
            throw new IllegalStateException("Cannot rotate producer ids while a transaction is still pending");
        }
        return transit(TransactionState.EMPTY, newProducerId, NO_PID, (short) 0,
                recordLastEpoch ? producerEpoch : NO_EPOCH, newTxnTimeoutMs, Set.of(), -1, nowMs,
                clientTransactionVersion);
    }

    /** AddPartitionsToTxn / AddOffsetsToTxn: the transaction (started now if none is open) with more partitions. */
    public TxnTransit prepareAddPartitions(Set<TopicPartition> added, long nowMs, short clientVersion) {
        long start = switch (state) {
            case EMPTY, COMPLETE_ABORT, COMPLETE_COMMIT -> nowMs;
            default -> txnStartTimestamp;
        };
        Set<TopicPartition> all = new HashSet<>(partitions);
        all.addAll(added);
        return transit(TransactionState.ONGOING, producerId, NO_PID, producerEpoch, lastProducerEpoch, txnTimeoutMs,
                all, start, nowMs, clientVersion);
    }

    /**
     * EndTxn (or a coordinator abort): PrepareCommit / PrepareAbort. With TV2 the epoch is bumped;
     * {@code nextProducerId} is the producer id to move to when the bump exhausts the epoch, else -1.
     *
     * @param fenceEpoch the fencing epoch of an abort started by InitProducerId or a timeout, or null
     */
    public TxnTransit prepareAbortOrCommit(TransactionState next, short clientVersion, long nextProducerId, long nowMs,
                                           Short fenceEpoch) {
        short epoch = producerEpoch;
        short last = lastProducerEpoch;
        if (fenceEpoch != null) {
            epoch = fenceEpoch;
            last = NO_EPOCH;
        } else if (clientVersion >= 2) {
            epoch = (short) (producerEpoch + 1);
            last = producerEpoch;
        }
        TransactionState from = fenceEpoch != null ? TransactionState.PREPARE_EPOCH_FENCE : state;
        // a TV2 abort of a transaction without partitions (Empty / Complete*) starts and ends now, as Kafka 4.3
        long start = state == TransactionState.EMPTY || state == TransactionState.COMPLETE_COMMIT
                || state == TransactionState.COMPLETE_ABORT ? nowMs : txnStartTimestamp;
        return transit(from, next, producerId, nextProducerId, epoch, last, txnTimeoutMs, partitions,
                start, nowMs, clientVersion);
    }

    /** The markers are written: CompleteCommit / CompleteAbort (TV2: moves to {@code nextProducerId} if set). */
    public TxnTransit prepareComplete(long nowMs) {
        TransactionState next = state == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        long pid = producerId;
        short epoch = producerEpoch;
        if (supportsEpochBump() && nextProducerId != NO_PID) {
            pid = nextProducerId;
            epoch = 0;
        }
        return transit(next, pid, NO_PID, epoch, producerEpoch, txnTimeoutMs, Set.of(), txnStartTimestamp, nowMs,
                clientTransactionVersion);
    }

    /** Expiration of an idle id: Dead (written as a tombstone). */
    public TxnTransit prepareDead() {
        return transit(TransactionState.DEAD, producerId, NO_PID, producerEpoch, lastProducerEpoch, txnTimeoutMs,
                Set.of(), txnStartTimestamp, txnLastUpdateTimestamp, clientTransactionVersion);
    }

    private TxnTransit transit(TransactionState next, long pid, long nextPid, short epoch, short lastEpoch,
                               int timeoutMs, Set<TopicPartition> parts, long start, long update, short tv) {
        return transit(state, next, pid, nextPid, epoch, lastEpoch, timeoutMs, parts, start, update, tv);
    }

    private TxnTransit transit(TransactionState from, TransactionState next, long pid, long nextPid, short epoch,
                               short lastEpoch, int timeoutMs, Set<TopicPartition> parts, long start, long update,
                               short tv) {
        if (!next.validPreviousStates().contains(from)) {
            throw new IllegalStateException("Transactional id " + transactionalId + ": no transition from " + from
                    + " to " + next);
        }
        if (pid < 0) {
            throw new IllegalArgumentException("Illegal new producer id " + pid);
        }
        if (next != TransactionState.DEAD && epoch < 0) {
            throw new IllegalArgumentException("Illegal new producer epoch " + epoch);
        }
        return new TxnTransit(pid, producerId, nextPid, epoch, lastEpoch, timeoutMs, next, parts, start, update, tv);
    }

    /** The state once {@code t} (prepared from this state) is acknowledged (Kafka's {@code completeTransitionTo}). */
    public TxnMetadata complete(TxnTransit t) {
        long pid = producerId;
        long prevPid = previousProducerId;
        long nextPid = nextProducerId;
        short epoch = producerEpoch;
        short last = lastProducerEpoch;
        int timeout = txnTimeoutMs;
        Set<TopicPartition> parts = partitions;
        long start = txnStartTimestamp;
        boolean failedFence = hasFailedEpochFence;
        switch (t.state()) {
            case EMPTY -> {
                timeout = t.txnTimeoutMs();
                epoch = t.producerEpoch();
                last = t.lastProducerEpoch();
                pid = t.producerId();
                prevPid = t.prevProducerId();
                parts = Set.of();
                start = -1;
            }
            case ONGOING -> {
                start = t.txnStartTimestamp();
                parts = t.partitions();
            }
            case PREPARE_COMMIT, PREPARE_ABORT -> {
                // a fencing abort (epoch changed without TV2) or a TV2 bump both take the written epoch
                epoch = t.producerEpoch();
                last = t.lastProducerEpoch();
                nextPid = t.nextProducerId();
            }
            case COMPLETE_COMMIT, COMPLETE_ABORT -> {
                failedFence = false;
                parts = Set.of();
                if (t.clientTransactionVersion() >= 2) {
                    epoch = t.producerEpoch();
                    last = t.lastProducerEpoch();
                    if (t.producerId() != pid) {
                        prevPid = pid;
                    }
                    pid = t.producerId();
                    nextPid = t.nextProducerId();
                }
            }
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException("No metadata in state " + t.state());
        }
        return new TxnMetadata(transactionalId, pid, prevPid, nextPid, epoch, last, timeout, t.state(), parts, start,
                t.txnLastUpdateTimestamp(), t.clientTransactionVersion(), failedFence);
    }

    /**
     * This state after a fencing abort at {@code fencedEpoch} could not be written: the epoch stays bumped in memory
     * (the old producer is fenced) and is not bumped again by the retry, as Kafka's {@code hasFailedEpochFence}.
     */
    public TxnMetadata withFailedEpochFence(short fencedEpoch) {
        return new TxnMetadata(transactionalId, producerId, previousProducerId, nextProducerId, fencedEpoch,
                NO_EPOCH, txnTimeoutMs, state, partitions, txnStartTimestamp, txnLastUpdateTimestamp,
                clientTransactionVersion, true);
    }
}
