package io.samsa.coordinator.txn;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator's state machine (Kafka's {@code TransactionCoordinator} handlers): InitProducerId,
 * AddPartitionsToTxn (and its KIP-890 verification), EndTxn, the coordinator's own aborts (fencing, timeouts) and
 * expiration. Every method runs on the given shard's executor; errors are thrown as the {@link ApiException} of the
 * Kafka error code the client gets. Thread-safe (stateless).
 */
public final class TxnOperations {
    private static final Logger LOGGER = LoggerFactory.getLogger(TxnOperations.class);
    private static final long NO_PID = RecordBatch.NO_PRODUCER_ID;
    private static final short NO_EPOCH = RecordBatch.NO_PRODUCER_EPOCH;
    private static final long COMPLETE_RETRY_MS = 100;
    /**
     * How long an AddPartitionsToTxn / AddOffsetsToTxn / verification waits for the previous transaction of its
     * producer to complete before it is answered CONCURRENT_TRANSACTIONS (ADR 0014).
     */
    public static final long HOLD_MAX_MS = 1_000;

    /** A producer id and epoch answered to the client. */
    public record ProducerIdAndEpoch(long producerId, short producerEpoch) {
    }

    private final TxnConfig config;
    private final LongSupplier producerIds;
    private final TxnMarkerQueue markers;

    /**
     * @param producerIds hands out a fresh producer id (may block briefly on the metadata quorum); throws the Kafka
     *                    error when none can be reserved
     */
    public TxnOperations(TxnConfig config, LongSupplier producerIds, TxnMarkerQueue markers) {
        this.config = config;
        this.producerIds = producerIds;
        this.markers = markers;
    }

    /** True when {@code timeoutMs} is a valid {@code transaction.timeout.ms} (1 to {@code transaction.max.timeout.ms}). */
    public boolean validTimeout(int timeoutMs) {
        return timeoutMs > 0 && timeoutMs <= config.maxTimeoutMs();
    }

    /**
     * InitProducerId with a transactional id (KIP-98, KIP-360 when {@code expectedProducerId} is not -1): a new epoch
     * (or a new producer id when the epoch is exhausted). An open transaction is aborted first with a fencing epoch
     * and CONCURRENT_TRANSACTIONS answered meanwhile.
     *
     * @throws ApiException PRODUCER_FENCED, CONCURRENT_TRANSACTIONS, NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE
     */
    public ProducerIdAndEpoch initProducerId(TxnShard shard, String transactionalId, int timeoutMs,
                                             long expectedProducerId, short expectedEpoch) {
        long now = shard.nowMs();
        TxnMetadata m = shard.get(transactionalId);
        if (m == null) {
            m = TxnMetadata.fresh(transactionalId, producerIds.getAsLong(), timeoutMs, now);
        }
        boolean expected = expectedProducerId != NO_PID;
        if (expected && !(m.producerEpoch() == NO_EPOCH || expectedProducerId == m.producerId()
                || (expectedProducerId == m.previousProducerId() && TxnMetadata.isEpochExhausted(expectedEpoch)))) {
            throw Errors.PRODUCER_FENCED.exception("Producer " + expectedProducerId + " epoch " + expectedEpoch
                    + " is fenced by producer id " + m.producerId() + " of " + transactionalId);
        }
        switch (m.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> throw concurrent(transactionalId, m);
            case ONGOING -> {
                fenceAndAbort(shard, m);
                throw concurrent(transactionalId, m);
            }
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                TxnTransit t;
                if (m.isProducerEpochExhausted() && (!expected || expectedEpoch == m.producerEpoch())) {
                    t = m.prepareProducerIdRotation(producerIds.getAsLong(), timeoutMs, now, expected);
                } else {
                    t = m.prepareIncrementProducerEpoch(timeoutMs, expected ? expectedEpoch : null, now);
                }
                TxnMetadata done = shard.write(m, t);
                LOGGER.info("Initialized transactional id {} with producer id {} and epoch {} on __transaction_state-{}",
                        transactionalId, done.producerId(), done.producerEpoch(), shard.partition());
                return new ProducerIdAndEpoch(done.producerId(), done.producerEpoch());
            }
            default -> throw new IllegalStateException("Transactional id " + transactionalId + " in state "
                    + m.state());
        }
    }

    private static ApiException concurrent(String transactionalId, TxnMetadata m) {
        return Errors.CONCURRENT_TRANSACTIONS.exception("Transactional id " + transactionalId + " is completing a "
                + "transaction (" + m.state().displayName() + ")");
    }

    /**
     * AddPartitionsToTxn / AddOffsetsToTxn / a TV2 implicit add: the partitions join the open transaction (one is
     * started if none is).
     *
     * @throws ApiException INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, CONCURRENT_TRANSACTIONS, NOT_COORDINATOR,
     *         COORDINATOR_NOT_AVAILABLE
     */
    public void addPartitions(TxnShard shard, String transactionalId, long producerId, short producerEpoch,
                              Set<TopicPartition> partitions, short clientTransactionVersion) {
        TxnMetadata m = owned(shard, transactionalId, producerId, producerEpoch);
        if (m.state().isPrepare()) {
            throw concurrent(transactionalId, m);
        }
        if (m.state() == TransactionState.ONGOING && m.partitions().containsAll(partitions)) {
            return;
        }
        shard.write(m, m.prepareAddPartitions(partitions, shard.nowMs(), clientTransactionVersion));
    }

    /**
     * {@link #addPartitions} that waits instead of failing with CONCURRENT_TRANSACTIONS while the previous transaction
     * of the same producer id and epoch is writing its markers (PrepareCommit / PrepareAbort): the request is held on
     * the shard (nothing blocks) and re-run, with the same validation, once the transaction reaches
     * CompleteCommit / CompleteAbort, or after {@link #HOLD_MAX_MS} (then CONCURRENT_TRANSACTIONS as before). Kafka
     * answers CONCURRENT_TRANSACTIONS at once and the client retries after {@code retry.backoff.ms} (KAFKA-5482).
     *
     * @return completes on the shard's executor when the partitions are added, or fails with the
     *         {@link ApiException} of {@link #addPartitions}, or NOT_COORDINATOR when the shard unloads while held
     */
    public CompletableFuture<Void> addPartitionsWhenComplete(TxnShard shard, String transactionalId, long producerId,
                                                             short producerEpoch, Set<TopicPartition> partitions,
                                                             short clientTransactionVersion) {
        return whenComplete(shard, transactionalId, producerId, producerEpoch, shard.nowMs() + HOLD_MAX_MS, () -> {
            addPartitions(shard, transactionalId, producerId, producerEpoch, partitions, clientTransactionVersion);
            return null;
        });
    }

    /** {@link #verify} held like {@link #addPartitionsWhenComplete} while the previous transaction completes. */
    public CompletableFuture<Map<TopicPartition, Errors>> verifyWhenComplete(TxnShard shard, String transactionalId,
                                                                            long producerId, short producerEpoch,
                                                                            Set<TopicPartition> partitions) {
        return whenComplete(shard, transactionalId, producerId, producerEpoch, shard.nowMs() + HOLD_MAX_MS,
                () -> verify(shard, transactionalId, producerId, producerEpoch, partitions));
    }

    /** Runs {@code op} now, or holds it until the transaction of the same producer id and epoch completes. */
    private <T> CompletableFuture<T> whenComplete(TxnShard shard, String transactionalId, long producerId,
                                                  short producerEpoch, long deadlineMs, Supplier<T> op) {
        if (!shard.isLoaded()) {
            return CompletableFuture.failedFuture(Errors.NOT_COORDINATOR.exception("This broker no longer leads "
                    + "__transaction_state-" + shard.partition()));
        }
        TxnMetadata m = shard.get(transactionalId);
        long remainingMs = deadlineMs - shard.nowMs();
        if (m != null && m.state().isPrepare() && m.producerId() == producerId && m.producerEpoch() == producerEpoch
                && remainingMs > 0) {
            CompletableFuture<T> result = new CompletableFuture<>();
            shard.hold(transactionalId, remainingMs, () -> whenComplete(shard, transactionalId, producerId,
                    producerEpoch, deadlineMs, op).whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    }), result::completeExceptionally);
            return result;
        }
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * AddPartitionsToTxn v4+ with VerifyOnly (KIP-890 part 1): whether each partition is in the open transaction
     * (NONE) or not (TRANSACTION_ABORTABLE).
     *
     * @throws ApiException INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, CONCURRENT_TRANSACTIONS for all of them
     */
    public Map<TopicPartition, Errors> verify(TxnShard shard, String transactionalId, long producerId,
                                              short producerEpoch, Set<TopicPartition> partitions) {
        TxnMetadata m = owned(shard, transactionalId, producerId, producerEpoch);
        if (m.state().isPrepare()) {
            throw concurrent(transactionalId, m);
        }
        Map<TopicPartition, Errors> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            result.put(tp, m.partitions().contains(tp) ? Errors.NONE : Errors.TRANSACTION_ABORTABLE);
        }
        return result;
    }

    private static TxnMetadata owned(TxnShard shard, String transactionalId, long producerId, short producerEpoch) {
        TxnMetadata m = shard.get(transactionalId);
        if (m == null || m.producerId() != producerId) {
            throw Errors.INVALID_PRODUCER_ID_MAPPING.exception("Producer id " + producerId + " is not the one of "
                    + transactionalId);
        }
        if (m.producerEpoch() != producerEpoch) {
            throw Errors.PRODUCER_FENCED.exception("Producer epoch " + producerEpoch + " of " + transactionalId
                    + " is fenced by epoch " + m.producerEpoch());
        }
        return m;
    }

    /**
     * EndTxn (KIP-98; v5+ KIP-890 part 2: TV2 bumps the epoch at each end and answers the new one): writes
     * PrepareCommit / PrepareAbort, answers, and starts the markers. A retry of a completed end answers NONE.
     *
     * @return the producer id and epoch the client continues with
     * @throws ApiException INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, INVALID_TXN_STATE, CONCURRENT_TRANSACTIONS,
     *         NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE
     */
    public ProducerIdAndEpoch endTxn(TxnShard shard, String transactionalId, long producerId, short producerEpoch,
                                     boolean commit, short clientTransactionVersion) {
        TxnMetadata m = shard.get(transactionalId);
        if (m == null) {
            throw Errors.INVALID_PRODUCER_ID_MAPPING.exception("Unknown transactional id " + transactionalId);
        }
        boolean v2 = m.supportsEpochBump();
        boolean retryOnOverflow = v2 && m.previousProducerId() == producerId
                && producerEpoch == Short.MAX_VALUE - 1 && m.producerEpoch() == 0;
        boolean retryOnEpochBump = v2 && m.producerEpoch() == producerEpoch + 1;
        boolean retry = retryOnEpochBump || retryOnOverflow;
        boolean validEpoch = v2 ? switch (m.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> retryOnEpochBump;
            case COMPLETE_COMMIT, COMPLETE_ABORT -> retry || producerEpoch == m.producerEpoch();
            default -> producerEpoch == m.producerEpoch();
        } : producerEpoch == m.producerEpoch();
        if (m.producerId() != producerId && !retryOnOverflow) {
            throw Errors.INVALID_PRODUCER_ID_MAPPING.exception("Producer id " + producerId + " is not the one of "
                    + transactionalId);
        }
        if (!validEpoch) {
            throw Errors.PRODUCER_FENCED.exception("Producer epoch " + producerEpoch + " of " + transactionalId
                    + " is fenced by epoch " + m.producerEpoch());
        }
        TransactionState s = m.state();
        return switch (s) {
            case ONGOING -> {
                long nextPid = clientTransactionVersion >= 2 && m.isProducerEpochExhausted()
                        ? producerIds.getAsLong() : NO_PID;
                TxnMetadata prepared = shard.write(m, m.prepareAbortOrCommit(commit
                                ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
                        clientTransactionVersion, nextPid, shard.nowMs(), null));
                sendMarkers(shard, prepared);
                yield new ProducerIdAndEpoch(prepared.producerId(), prepared.producerEpoch());
            }
            case COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (clientTransactionVersion >= 2 && !retry && !commit) {
                    yield abortWithoutPartitions(shard, m, clientTransactionVersion);
                }
                if (commit != (s == TransactionState.COMPLETE_COMMIT) || (v2 && !retry)) {
                    throw invalidState(transactionalId, s, commit);
                }
                yield new ProducerIdAndEpoch(m.producerId(), m.producerEpoch());
            }
            case PREPARE_COMMIT, PREPARE_ABORT -> {
                if (commit != (s == TransactionState.PREPARE_COMMIT)) {
                    throw invalidState(transactionalId, s, commit);
                }
                throw concurrent(transactionalId, m);
            }
            case EMPTY -> {
                if (clientTransactionVersion >= 2 && !commit) {
                    yield abortWithoutPartitions(shard, m, clientTransactionVersion);
                }
                throw invalidState(transactionalId, s, commit);
            }
            default -> throw new IllegalStateException("Transactional id " + transactionalId + " in state " + s);
        };
    }

    /**
     * Kafka 4.3's TV2 abort of a transaction to which no partition was added (e.g. its first send was refused before
     * the partition joined): PrepareAbort with a bumped epoch and no markers to write, then CompleteAbort.
     */
    private ProducerIdAndEpoch abortWithoutPartitions(TxnShard shard, TxnMetadata m, short clientTransactionVersion) {
        long nextPid = m.isProducerEpochExhausted() ? producerIds.getAsLong() : NO_PID;
        TxnMetadata prepared = shard.write(m, m.prepareAbortOrCommit(TransactionState.PREPARE_ABORT,
                clientTransactionVersion, nextPid, shard.nowMs(), null));
        sendMarkers(shard, prepared);
        return new ProducerIdAndEpoch(prepared.producerId(), prepared.producerEpoch());
    }

    private static ApiException invalidState(String transactionalId, TransactionState s, boolean commit) {
        return Errors.INVALID_TXN_STATE.exception("Transactional id " + transactionalId + " is " + s.displayName()
                + ": cannot " + (commit ? "commit" : "abort"));
    }

    /**
     * The coordinator aborts {@code m}'s open transaction with a bumped epoch that fences its producer (InitProducerId
     * by a new instance, or the transaction timeout). If the write fails, the fencing epoch is kept for the retry.
     *
     * @throws ApiException the write's error
     */
    public void fenceAndAbort(TxnShard shard, TxnMetadata m) {
        short fence = m.fencedEpoch();
        TxnTransit t = m.prepareAbortOrCommit(TransactionState.PREPARE_ABORT, config.transactionVersion(), NO_PID,
                shard.nowMs(), fence);
        TxnMetadata prepared;
        try {
            prepared = shard.write(m, t);
        } catch (RuntimeException e) {
            shard.put(m.withFailedEpochFence(fence));
            throw e;
        }
        sendMarkers(shard, prepared);
    }

    /** Starts (or, after a load, restarts) the markers of a transaction in PrepareCommit / PrepareAbort. */
    public void sendMarkers(TxnShard shard, TxnMetadata prepared) {
        markers.enqueue(shard, prepared, () -> shard.execute(() -> complete(shard, prepared)));
    }

    /** Every marker is written: CompleteCommit / CompleteAbort (retried while the shard is still active). */
    void complete(TxnShard shard, TxnMetadata prepared) {
        if (!shard.isLoaded()) {
            return;
        }
        TxnMetadata m = shard.get(prepared.transactionalId());
        if (m == null || m.state() != prepared.state() || m.producerId() != prepared.producerId()
                || m.producerEpoch() != prepared.producerEpoch()) {
            LOGGER.debug("Transactional id {} changed while its markers were written; not completing",
                    prepared.transactionalId());
            shard.release(prepared.transactionalId());
            return;
        }
        try {
            TxnMetadata done = shard.write(m, m.prepareComplete(shard.nowMs()));
            LOGGER.debug("Transactional id {} completed: {}", done.transactionalId(), done.state().displayName());
            shard.release(done.transactionalId());
        } catch (RuntimeException e) {
            LOGGER.info("Could not write the completion of transactional id {} ({}); retrying",
                    prepared.transactionalId(), e.toString());
            shardRetry(shard, prepared);
        }
    }

    private void shardRetry(TxnShard shard, TxnMetadata prepared) {
        CompletableFuture.delayedExecutor(COMPLETE_RETRY_MS, TimeUnit.MILLISECONDS, shard::execute)
                .execute(() -> complete(shard, prepared));
    }

    /** Aborts the transactions open longer than their timeout (Kafka's {@code abortTimedOutTransactions}). */
    public void abortTimedOut(TxnShard shard) {
        long now = shard.nowMs();
        for (TxnMetadata m : shard.all()) {
            if (m.state() == TransactionState.ONGOING && m.txnStartTimestamp() + m.txnTimeoutMs() < now
                    && m.producerEpoch() != Short.MAX_VALUE) {
                LOGGER.info("Aborting transaction of {} (producer id {}, epoch {}): open for more than its "
                        + "transaction.timeout.ms of {} ms", m.transactionalId(), m.producerId(), m.producerEpoch(),
                        m.txnTimeoutMs());
                try {
                    fenceAndAbort(shard, m);
                } catch (RuntimeException e) {
                    LOGGER.warn("Could not abort the timed-out transaction of {}: {}", m.transactionalId(),
                            e.toString());
                }
            }
        }
    }

    /**
     * Removes the ids idle for {@code transactional.id.expiration.ms} without an open transaction, writing a tombstone
     * for each (Kafka's {@code removeExpiredTransactionalIds}).
     */
    public void expire(TxnShard shard) {
        long now = shard.nowMs();
        for (TxnMetadata m : shard.all()) {
            boolean idle = switch (m.state()) {
                case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> true;
                default -> false;
            };
            if (idle && m.txnLastUpdateTimestamp() <= now - config.idExpirationMs()) {
                try {
                    m.prepareDead();
                    shard.remove(m);
                    LOGGER.info("Expired transactional id {} (idle since {})", m.transactionalId(),
                            m.txnLastUpdateTimestamp());
                } catch (RuntimeException e) {
                    LOGGER.warn("Could not expire transactional id {}: {}", m.transactionalId(), e.toString());
                }
            }
        }
    }
}
