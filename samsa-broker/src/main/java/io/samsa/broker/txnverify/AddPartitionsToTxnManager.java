package io.samsa.broker.txnverify;

import io.samsa.broker.net.BrokerRequestSender;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies with transaction coordinators that partitions are part of a producer's ongoing transaction before a
 * partition leader appends the producer's first transactional batch to them (KIP-890 part 1; with Transactions V2
 * the coordinator adds them, part 2). Kafka's {@code AddPartitionsToTxnManager}: the coordinator of a transactional id
 * is the leader of {@code __transaction_state} partition {@code Utils.abs(transactionalId.hashCode()) % partitions};
 * verifications for one coordinator are batched into one AddPartitionsToTxn v4+ request (one entry per transactional
 * id), and at most one request per coordinator is in flight: what arrives meanwhile waits for the next request.
 *
 * <p>A second verification of a transactional id already waiting for the next request replaces it as Kafka does: the
 * older one fails with INVALID_PRODUCER_EPOCH when the new one has a higher epoch, NETWORK_EXCEPTION (retriable) when
 * the same; a new one with a lower epoch fails at once with INVALID_PRODUCER_EPOCH.
 *
 * <p>Errors per partition (the future's map holds only failed partitions): COORDINATOR_NOT_AVAILABLE without a
 * coordinator, NETWORK_EXCEPTION when the request failed on the way, the coordinator's top-level error for every
 * partition (CLUSTER_AUTHORIZATION_FAILED reported as INVALID_TXN_STATE), else the coordinator's partition errors with
 * PRODUCER_FENCED as INVALID_PRODUCER_EPOCH and, for {@link TransactionOperation#DEFAULT_ERROR}, TRANSACTION_ABORTABLE
 * as INVALID_TXN_STATE. A coordinator that does not serve AddPartitionsToTxn v4 skips the verification (empty map).
 *
 * <p>Thread-safe; never blocks: the futures complete on {@code callbackExecutor}.
 */
public final class AddPartitionsToTxnManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(AddPartitionsToTxnManager.class);

    /** One transactional id's verification waiting for (or inside) a request. */
    private record Entry(AddPartitionsToTxnTransaction data, TransactionOperation operation,
                         CompletableFuture<Map<TopicPartition, Errors>> result) {
    }

    private final BrokerRequestSender sender;
    private final Supplier<ClusterImage> image;
    private final Executor callbackExecutor;
    private final boolean verificationEnabled;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final Object lock = new Object();
    /** Per coordinator node: the entries for its next request, by transactional id (guarded by {@link #lock}). */
    private final Map<Integer, Map<String, Entry>> waiting = new HashMap<>();
    /** Coordinator nodes with a request in flight (guarded by {@link #lock}). */
    private final Set<Integer> inFlight = new HashSet<>();

    /** A manager with Kafka's defaults: verification on, retries every 20 ms for up to 100 ms. */
    public AddPartitionsToTxnManager(BrokerRequestSender sender, Supplier<ClusterImage> image,
                                     Executor callbackExecutor) {
        this(sender, image, callbackExecutor, true, 20, 100);
    }

    /**
     * @param verificationEnabled {@code transaction.partition.verification.enable}: false skips the verify-only
     *                            operations (Transactions V2 adds still happen)
     * @param retryBackoffMs      {@code add.partitions.to.txn.retry.backoff.ms}: pause before a produce retries a
     *                            CONCURRENT_TRANSACTIONS answer (Transactions V2)
     * @param retryBackoffMaxMs   {@code add.partitions.to.txn.retry.backoff.max.ms}: how long such retries go on
     */
    public AddPartitionsToTxnManager(BrokerRequestSender sender, Supplier<ClusterImage> image,
                                     Executor callbackExecutor, boolean verificationEnabled, long retryBackoffMs,
                                     long retryBackoffMaxMs) {
        this.sender = sender;
        this.image = image;
        this.callbackExecutor = callbackExecutor;
        this.verificationEnabled = verificationEnabled;
        this.retryBackoffMs = retryBackoffMs;
        this.retryBackoffMaxMs = retryBackoffMaxMs;
    }

    /** True when a write with {@code operation} needs no coordinator round trip (verification turned off). */
    public boolean skips(TransactionOperation operation) {
        return !verificationEnabled && !operation.supportsEpochBump();
    }

    /**
     * {@link #verify} for a Produce request: with Transactions V2 a CONCURRENT_TRANSACTIONS answer (the previous
     * transaction is still completing) is retried every {@code add.partitions.to.txn.retry.backoff.ms} for up to
     * {@code add.partitions.to.txn.retry.backoff.max.ms}, as Kafka's {@code ReplicaManager} does, before the client
     * gets it. The retries wait on a timer, never on a thread.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verifyForProduce(String transactionalId, long producerId,
                                                                           short producerEpoch,
                                                                           Collection<TopicPartition> partitions,
                                                                           TransactionOperation operation) {
        if (!operation.supportsEpochBump()) {
            return verify(transactionalId, producerId, producerEpoch, partitions, operation);
        }
        return verifyRetrying(transactionalId, producerId, producerEpoch, partitions, operation, System.nanoTime());
    }

    private CompletableFuture<Map<TopicPartition, Errors>> verifyRetrying(String transactionalId, long producerId,
                                                                          short producerEpoch,
                                                                          Collection<TopicPartition> partitions,
                                                                          TransactionOperation operation,
                                                                          long startNanos) {
        return verify(transactionalId, producerId, producerEpoch, partitions, operation).thenCompose(errors -> {
            long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
            if (!errors.containsValue(Errors.CONCURRENT_TRANSACTIONS) || elapsedMs >= retryBackoffMaxMs) {
                return CompletableFuture.completedFuture(errors);
            }
            Executor later = CompletableFuture.delayedExecutor(retryBackoffMs, TimeUnit.MILLISECONDS,
                    callbackExecutor);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(v -> verifyRetrying(transactionalId,
                    producerId, producerEpoch, partitions, operation, startNanos));
        });
    }

    /**
     * Asks the coordinator of {@code transactionalId} whether (or, for {@link TransactionOperation#ADD_PARTITION},
     * to make sure that) {@code partitions} are in the ongoing transaction of {@code producerId} at
     * {@code producerEpoch}.
     *
     * @return the partitions that failed and their error (empty: all verified); never completes exceptionally
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId,
                                                                 short producerEpoch,
                                                                 Collection<TopicPartition> partitions,
                                                                 TransactionOperation operation) {
        CompletableFuture<Map<TopicPartition, Errors>> result = new CompletableFuture<>();
        int coordinator = coordinatorOf(transactionalId);
        if (coordinator < 0) {
            completeAll(result, partitions, Errors.COORDINATOR_NOT_AVAILABLE);
            return result;
        }
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        byTopic.forEach((topic, ps) -> topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(ps)));
        AddPartitionsToTxnTransaction data = new AddPartitionsToTxnTransaction().setTransactionalId(transactionalId)
                .setProducerId(producerId).setProducerEpoch(producerEpoch).setVerifyOnly(operation.verifyOnly())
                .setTopics(topics);
        Entry entry = new Entry(data, operation, result);
        Entry replaced = null;
        synchronized (lock) {
            Map<String, Entry> next = waiting.computeIfAbsent(coordinator, n -> new LinkedHashMap<>());
            Entry existing = next.get(transactionalId);
            if (existing != null) {
                if (existing.data().producerEpoch() > producerEpoch) {
                    replaced = entry; // the new one is fenced by the waiting one
                } else {
                    replaced = existing;
                    next.put(transactionalId, entry);
                }
            } else {
                next.put(transactionalId, entry);
            }
        }
        if (replaced != null) {
            Errors error = replaced == entry || replaced.data().producerEpoch() < producerEpoch
                    ? Errors.INVALID_PRODUCER_EPOCH : Errors.NETWORK_EXCEPTION;
            completeAll(replaced.result(), partitionsOf(replaced.data()).keySet(), error);
        }
        maybeSend(coordinator);
        return result;
    }

    /** The node id of the transaction coordinator of {@code transactionalId}, or -1 when there is none. */
    int coordinatorOf(String transactionalId) {
        TopicImage topic = image.get().topic(Topic.TRANSACTION_STATE_TOPIC_NAME).orElse(null);
        if (topic == null || topic.partitions().isEmpty()) {
            return -1;
        }
        PartitionImage p = topic.partitions().get(Utils.abs(transactionalId.hashCode()) % topic.partitions().size());
        return p.leader();
    }

    private void maybeSend(int coordinator) {
        Map<String, Entry> batch;
        synchronized (lock) {
            if (inFlight.contains(coordinator)) {
                return;
            }
            batch = waiting.remove(coordinator);
            if (batch == null || batch.isEmpty()) {
                return;
            }
            inFlight.add(coordinator);
        }
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        batch.values().forEach(e -> transactions.add(e.data().duplicate()));
        CompletableFuture<AddPartitionsToTxnResponse> sent;
        try {
            sent = sender.send(coordinator, AddPartitionsToTxnRequest.Builder.forBroker(transactions));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenCompleteAsync((response, error) -> {
            try {
                onResponse(coordinator, batch, response, error);
            } finally {
                synchronized (lock) {
                    inFlight.remove(coordinator);
                }
                maybeSend(coordinator);
            }
        }, callbackExecutor);
    }

    private void onResponse(int coordinator, Map<String, Entry> batch, AddPartitionsToTxnResponse response,
                            Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof UnsupportedVersionException) {
                LOGGER.warn("Transaction coordinator {} does not serve verification (AddPartitionsToTxn v4+); "
                        + "appending without it", coordinator);
                batch.values().forEach(e -> e.result().complete(Map.of()));
                return;
            }
            Errors mapped = cause instanceof BrokerNotAvailableException ? Errors.COORDINATOR_NOT_AVAILABLE
                    : Errors.NETWORK_EXCEPTION;
            LOGGER.warn("AddPartitionsToTxn to node {} failed: {}", coordinator, cause.toString());
            batch.values().forEach(e -> completeAll(e.result(), partitionsOf(e.data()).keySet(), mapped));
            return;
        }
        AddPartitionsToTxnResponseData data = response.data();
        if (data.errorCode() != Errors.NONE.code()) {
            Errors top = Errors.forCode(data.errorCode());
            LOGGER.warn("AddPartitionsToTxn to node {} failed with {}", coordinator, top);
            Errors mapped = top == Errors.CLUSTER_AUTHORIZATION_FAILED ? Errors.INVALID_TXN_STATE : top;
            batch.values().forEach(e -> completeAll(e.result(), partitionsOf(e.data()).keySet(), mapped));
            return;
        }
        Set<String> answered = new HashSet<>();
        for (AddPartitionsToTxnResponseData.AddPartitionsToTxnResult r : data.resultsByTransaction()) {
            Entry e = batch.get(r.transactionalId());
            if (e == null || !answered.add(r.transactionalId())) {
                continue;
            }
            Map<TopicPartition, Errors> failed = new HashMap<>();
            AddPartitionsToTxnResponse.errorsForTransaction(r.topicResults()).forEach((tp, err) -> {
                if (err != Errors.NONE) {
                    failed.put(tp, map(err, e.operation()));
                }
            });
            e.result().complete(failed);
        }
        batch.forEach((id, e) -> {
            if (!answered.contains(id)) { // a coordinator must answer every transaction; treat silence as retriable
                completeAll(e.result(), partitionsOf(e.data()).keySet(), Errors.NETWORK_EXCEPTION);
            }
        });
    }

    private static Errors map(Errors error, TransactionOperation operation) {
        if (error == Errors.PRODUCER_FENCED) {
            return Errors.INVALID_PRODUCER_EPOCH; // producers expect this one here
        }
        if (error == Errors.TRANSACTION_ABORTABLE && operation == TransactionOperation.DEFAULT_ERROR) {
            return Errors.INVALID_TXN_STATE; // older clients do not know TRANSACTION_ABORTABLE
        }
        return error;
    }

    private static Map<TopicPartition, Errors> partitionsOf(AddPartitionsToTxnTransaction data) {
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        data.topics().forEach(t -> t.partitions().forEach(p -> out.put(new TopicPartition(t.name(), p), Errors.NONE)));
        return out;
    }

    private void completeAll(CompletableFuture<Map<TopicPartition, Errors>> result,
                             Collection<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        callbackExecutor.execute(() -> result.complete(errors));
    }
}
