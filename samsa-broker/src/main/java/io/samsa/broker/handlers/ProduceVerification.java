package io.samsa.broker.handlers;

import io.samsa.broker.replica.ReplicaManager;
import io.samsa.broker.txnverify.AddPartitionsToTxnManager;
import io.samsa.broker.txnverify.TransactionOperation;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.txn.VerificationGuard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The transactional side of a Produce request (KIP-98, KIP-890; Kafka's {@code ReplicaManager.handleProduceAppend}):
 * a request with transactional batches must name its {@code transactional_id} (else the whole request fails with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as Kafka answers an unauthorized one) and carry one producer id (else
 * INVALID_PRODUCER_ID_MAPPING); before the first transactional batch of a (producer id, epoch) reaches a partition
 * without an open transaction of that producer ({@link PartitionLog#hasOngoingTransaction}), the transaction
 * coordinator verifies (Produce v0-11) or adds (v12+, Transactions V2) the partition through the
 * {@link AddPartitionsToTxnManager}. Its answers become the produce errors Kafka returns: INVALID_TXN_STATE
 * ("Partition was not added to the transaction"); NETWORK_EXCEPTION, COORDINATOR_LOAD_IN_PROGRESS,
 * COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR and (before Transactions V2) CONCURRENT_TRANSACTIONS as
 * NOT_ENOUGH_REPLICAS, which every client retries without a metadata refresh; others as they are. With Transactions V2
 * the add happens even when {@code transaction.partition.verification.enable} is false, as in Kafka 4.3. Each verified
 * append carries the {@link VerificationGuard} its log handed out when the verification started: a marker of the
 * producer appended in between (the transaction ended) makes the append fail with INVALID_TXN_STATE rather than open
 * a transaction no coordinator knows (Kafka's {@code VerificationGuard}).
 *
 * <p>The transaction of the request (pid, epoch, partitions) is found by reading batch headers only. Stateless and
 * thread-safe.
 */
final class ProduceVerification {

    /**
     * The transactional content of a request.
     *
     * @param partitions the partitions with a transactional batch (empty: nothing to verify)
     */
    record Transaction(String transactionalId, long producerId, short producerEpoch, List<TopicPartition> partitions) {
        static final Transaction NONE = new Transaction(null, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, List.of());
    }

    /**
     * What the verification decided.
     *
     * @param refused the partitions refused, with the produce error to answer (empty: append everything)
     * @param guards  null when no verification is required; else the {@link VerificationGuard} each transactional
     *                partition's append carries ({@link VerificationGuard#SENTINEL} where the transaction was open)
     */
    record Verified(Map<TopicPartition, ApiException> refused, Map<TopicPartition, VerificationGuard> guards) {
        static final Verified NOT_REQUIRED = new Verified(Map.of(), null);

        /** The guard of {@code tp}'s append, or null when its append needs none. */
        VerificationGuard guard(TopicPartition tp) {
            return guards == null ? null : guards.getOrDefault(tp, VerificationGuard.SENTINEL);
        }
    }

    private ProduceVerification() {
    }

    /**
     * Finds the request's transaction.
     *
     * @throws TransactionalIdAuthorizationException transactional batches without a transactional id
     * @throws InvalidPidMappingException transactional batches of more than one producer
     */
    static Transaction transactionOf(ProduceRequestData request, ClusterImage image, boolean topicIds) {
        long producerId = RecordBatch.NO_PRODUCER_ID;
        short epoch = RecordBatch.NO_PRODUCER_EPOCH;
        List<TopicPartition> partitions = null;
        for (TopicProduceData t : request.topicData()) {
            for (PartitionProduceData p : t.partitionData()) {
                if (!(p.records() instanceof MemoryRecords records)) {
                    continue;
                }
                for (RecordBatch batch : transactionalBatches(records)) {
                    if (request.transactionalId() == null) {
                        throw new TransactionalIdAuthorizationException("Transactional records need the request's "
                                + "transactional id");
                    }
                    if (producerId != RecordBatch.NO_PRODUCER_ID
                            && (producerId != batch.producerId() || epoch != batch.producerEpoch())) {
                        throw new InvalidPidMappingException("Transactional records contained more than one "
                                + "producer ID");
                    }
                    producerId = batch.producerId();
                    epoch = batch.producerEpoch();
                    Optional<TopicImage> topic = topicIds ? image.topic(new UUID(t.topicId().getMostSignificantBits(),
                            t.topicId().getLeastSignificantBits())) : image.topic(t.name());
                    if (topic.isPresent()) {
                        partitions = partitions == null ? new ArrayList<>() : partitions;
                        TopicPartition tp = new TopicPartition(topic.get().name(), p.index());
                        if (!partitions.contains(tp)) {
                            partitions.add(tp);
                        }
                    }
                }
            }
        }
        return partitions == null ? Transaction.NONE
                : new Transaction(request.transactionalId(), producerId, epoch, List.copyOf(partitions));
    }

    /**
     * The transactional batches of one partition's records; none when the batch headers do not parse (the append
     * reports CORRUPT_MESSAGE for the partition).
     */
    /** Whether any partition of the request holds a transactional batch (Kafka's {@code hasTransactionalRecords}). */
    static boolean hasTransactionalRecords(ProduceRequestData request) {
        for (TopicProduceData t : request.topicData()) {
            for (PartitionProduceData p : t.partitionData()) {
                if (p.records() instanceof MemoryRecords records && !transactionalBatches(records).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<RecordBatch> transactionalBatches(MemoryRecords records) {
        List<RecordBatch> out = null;
        try {
            for (RecordBatch batch : records.batches()) {
                if (batch.isTransactional() && batch.hasProducerId()) {
                    out = out == null ? new ArrayList<>(1) : out;
                    out.add(batch);
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return out == null ? List.of() : out;
    }

    /**
     * Verifies the partitions of {@code txn} that have no open transaction of its producer here, each under a
     * {@link VerificationGuard} started in its log first (Kafka's {@code maybeStartTransactionVerification}), so that
     * a marker appended before the batch makes the append fail instead of opening a transaction no coordinator knows.
     * Partitions not led here are left to the append, which answers their error.
     *
     * @param manager null: no verification ({@code transaction.partition.verification.enable=false} or no sender)
     */
    static CompletableFuture<Verified> verify(Transaction txn, short version, ReplicaManager replicas,
                                              AddPartitionsToTxnManager manager) {
        return verify(txn, version, (tp, producerId, epoch) -> replicas.leaderLog(tp)
                .startTransactionVerification(producerId, epoch), manager);
    }

    /** Where a partition's {@link VerificationGuard} comes from: its log ({@link PartitionLog}). */
    @FunctionalInterface
    interface Guards {
        /**
         * @return the guard the log holds (or starts) for the producer's epoch; SENTINEL when its transaction is open
         * @throws RuntimeException when the partition is not led here
         */
        VerificationGuard start(TopicPartition tp, long producerId, short producerEpoch);
    }

    /** {@link #verify(Transaction, short, ReplicaManager, AddPartitionsToTxnManager)} on the given guards. */
    static CompletableFuture<Verified> verify(Transaction txn, short version, Guards replicas,
                                              AddPartitionsToTxnManager manager) {
        TransactionOperation operation = TransactionOperation.forProduce(version);
        if (manager == null || txn.partitions().isEmpty() || manager.skips(operation)) {
            return CompletableFuture.completedFuture(Verified.NOT_REQUIRED);
        }
        return verify(txn, txn.partitions(), new HashMap<>(), replicas, manager, operation, true);
    }

    /**
     * Starts the guards of {@code partitions} and verifies those without an open transaction. When the coordinator
     * answered after a marker of the producer reached one of them (it cleared the guard: the coordinator holds a
     * verification while the previous transaction's markers are written, ADR 0014), that partition is verified once
     * more under a fresh guard, as a retry after CONCURRENT_TRANSACTIONS would.
     */
    private static CompletableFuture<Verified> verify(Transaction txn, List<TopicPartition> partitions,
                                                      Map<TopicPartition, VerificationGuard> guards,
                                                      Guards replicas, AddPartitionsToTxnManager manager,
                                                      TransactionOperation operation, boolean again) {
        List<TopicPartition> unverified = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            VerificationGuard guard = startGuard(replicas, txn, tp);
            if (guard != null) {
                guards.put(tp, guard);
                if (guard != VerificationGuard.SENTINEL) {
                    unverified.add(tp);
                }
            }
        }
        if (unverified.isEmpty()) {
            return CompletableFuture.completedFuture(new Verified(Map.of(), guards));
        }
        return manager.verifyForProduce(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), unverified,
                operation).thenCompose(errors -> {
                    List<TopicPartition> stale = new ArrayList<>();
                    if (again) {
                        for (TopicPartition tp : unverified) {
                            if (errors.getOrDefault(tp, Errors.NONE) == Errors.NONE
                                    && startGuard(replicas, txn, tp) != guards.get(tp)) {
                                stale.add(tp);
                            }
                        }
                    }
                    if (stale.isEmpty()) {
                        return CompletableFuture.completedFuture(new Verified(toProduceErrors(errors, operation),
                                guards));
                    }
                    Map<TopicPartition, Errors> others = new HashMap<>(errors);
                    stale.forEach(others::remove);
                    return verify(txn, stale, guards, replicas, manager, operation, false).thenApply(retried -> {
                        Map<TopicPartition, ApiException> refused = new HashMap<>(toProduceErrors(others,
                                operation));
                        refused.putAll(retried.refused());
                        return new Verified(refused, guards);
                    });
                });
    }

    /** The guard {@code tp}'s log holds (or starts) for the producer's epoch; null when not led here. */
    private static VerificationGuard startGuard(Guards replicas, Transaction txn, TopicPartition tp) {
        try {
            return replicas.start(tp, txn.producerId(), txn.producerEpoch());
        } catch (RuntimeException e) {
            return null; // not the leader (or no log): the append reports it
        }
    }

    static Map<TopicPartition, ApiException> toProduceErrors(Map<TopicPartition, Errors> errors,
                                                             TransactionOperation operation) {
        if (errors.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ApiException> out = new HashMap<>();
        errors.forEach((tp, error) -> out.put(tp, switch (error) {
            case INVALID_TXN_STATE -> new InvalidTxnStateException("Partition was not added to the transaction");
            case NETWORK_EXCEPTION, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR ->
                    notVerified(error);
            // Transactions V2 clients retry CONCURRENT_TRANSACTIONS themselves (after the broker's own retries)
            case CONCURRENT_TRANSACTIONS -> operation.supportsEpochBump() ? error.exception() : notVerified(error);
            default -> error.exception();
        }));
        return out;
    }

    private static ApiException notVerified(Errors error) {
        return new NotEnoughReplicasException("Unable to verify the partition has been added to the transaction. "
                + "Underlying error: " + error);
    }
}
