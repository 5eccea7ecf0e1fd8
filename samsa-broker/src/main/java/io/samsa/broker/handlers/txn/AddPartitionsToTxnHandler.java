package io.samsa.broker.handlers.txn;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.coordinator.txn.TxnOperations;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AddPartitionsToTxn (API 24, v0-5). v0-3 come from producers: one transaction whose partitions join it (KIP-98).
 * v4+ come from brokers and batch transactions (KIP-890 part 1): {@code VerifyOnly} asks whether each partition is
 * already in the transaction (NONE or TRANSACTION_ABORTABLE) without changing it; v5 without {@code VerifyOnly} is
 * the implicit add of Transactions V2 (KIP-890 part 2). Partitions of unknown topics fail with
 * UNKNOWN_TOPIC_OR_PARTITION and the others of that transaction with OPERATION_NOT_ATTEMPTED, as Kafka. While the
 * previous transaction of the same producer id and epoch writes its markers, adds and verifications wait for it (up
 * to {@link TxnOperations#HOLD_MAX_MS}) instead of failing with CONCURRENT_TRANSACTIONS (ADR 0014).
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleAddPartitionsToTxnRequest}): v4+ (broker to broker) needs
 * CLUSTER_ACTION on the cluster, else the whole request is CLUSTER_AUTHORIZATION_FAILED. v0-3 need WRITE on the
 * transactional id, else every partition is TRANSACTIONAL_ID_AUTHORIZATION_FAILED, and WRITE on each topic, else its
 * partitions are TOPIC_AUTHORIZATION_FAILED (internal topics always are) and the others OPERATION_NOT_ATTEMPTED.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequestData> {
    private final BrokerContext ctx;
    private final TransactionCoordinator coordinator;

    public AddPartitionsToTxnHandler(BrokerContext ctx, TransactionCoordinator coordinator) {
        this.ctx = ctx;
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponseData> handle(RequestContext context,
                                                                    AddPartitionsToTxnRequestData request) {
        short version = context.apiVersion();
        if (version >= 4 && !ctx.authorizer().authorize(context, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER,
                "kafka-cluster")) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.ADD_PARTITIONS_TO_TXN, version, request,
                    Errors.CLUSTER_AUTHORIZATION_FAILED));
        }
        if (version < 4) {
            AddPartitionsToTxnTransaction txn = new AddPartitionsToTxnTransaction()
                    .setTransactionalId(request.v3AndBelowTransactionalId())
                    .setProducerId(request.v3AndBelowProducerId())
                    .setProducerEpoch(request.v3AndBelowProducerEpoch())
                    .setVerifyOnly(false);
            return handleOne(context, txn, request.v3AndBelowTopics(), (short) 0).thenApply(result ->
                    new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(result.topicResults()));
        }
        short clientVersion = version >= 5 ? (short) 2 : (short) 0;
        List<CompletableFuture<AddPartitionsToTxnResult>> all = new ArrayList<>();
        for (AddPartitionsToTxnTransaction txn : request.transactions()) {
            all.add(handleOne(null, txn, txn.topics(), clientVersion));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            AddPartitionsToTxnResultCollection results = new AddPartitionsToTxnResultCollection();
            all.forEach(f -> results.add(f.join()));
            return new AddPartitionsToTxnResponseData().setErrorCode(Errors.NONE.code())
                    .setResultsByTransaction(results);
        });
    }

    /**
     * @param client the producer's request context for v0-3 (checked for WRITE), null for the brokers' v4+
     */
    private CompletableFuture<AddPartitionsToTxnResult> handleOne(RequestContext client,
                                                                  AddPartitionsToTxnTransaction txn,
                                                                  AddPartitionsToTxnTopicCollection topics,
                                                                  short clientVersion) {
        String txnId = txn.transactionalId();
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (AddPartitionsToTxnTopic topic : topics) {
            for (int p : topic.partitions()) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        if (txnId == null) {
            return done(txnId, partitions, Errors.INVALID_REQUEST);
        }
        if (client != null && !ctx.authorizer().authorize(client, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                txnId)) {
            return done(txnId, partitions, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (txnId.isEmpty()) {
            return done(txnId, partitions, Errors.INVALID_REQUEST);
        }
        ClusterImage image = ctx.image();
        Map<TopicPartition, Errors> failed = new HashMap<>();
        Map<String, Boolean> writable = new HashMap<>();
        for (TopicPartition tp : partitions) {
            TopicImage topic = image.topic(tp.topic()).orElse(null);
            if (client != null && !writable.computeIfAbsent(tp.topic(), t -> !Topic.isInternal(t)
                    && ctx.authorizer().authorize(client, AclOperation.WRITE, ResourceType.TOPIC, t))) {
                failed.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
            } else if (topic == null || tp.partition() < 0 || tp.partition() >= topic.partitions().size()) {
                failed.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (!failed.isEmpty()) {
            Map<TopicPartition, Errors> errors = new HashMap<>();
            partitions.forEach(tp -> errors.put(tp, failed.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED)));
            return CompletableFuture.completedFuture(AddPartitionsToTxnResponse.resultForTransaction(txnId, errors));
        }
        TxnOperations ops = coordinator.operations();
        long pid = txn.producerId();
        short epoch = txn.producerEpoch();
        if (txn.verifyOnly()) {
            return coordinator.onShardAsync(txnId, shard -> ops.verifyWhenComplete(shard, txnId, pid, epoch,
                            partitions))
                    .handle((errors, e) -> e != null ? allFailed(txnId, partitions, CoordinatorErrors.toError(e))
                            : AddPartitionsToTxnResponse.resultForTransaction(txnId, errors));
        }
        return coordinator.onShardAsync(txnId, shard -> ops.addPartitionsWhenComplete(shard, txnId, pid, epoch,
                partitions, clientVersion)).handle((ok, e) -> allFailed(txnId, partitions, e != null ? CoordinatorErrors.toError(e) : Errors.NONE));
    }

    private static CompletableFuture<AddPartitionsToTxnResult> done(String txnId, Set<TopicPartition> partitions,
                                                                   Errors error) {
        return CompletableFuture.completedFuture(allFailed(txnId, partitions, error));
    }

    private static AddPartitionsToTxnResult allFailed(String txnId, Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return AddPartitionsToTxnResponse.resultForTransaction(txnId == null ? "" : txnId, errors);
    }
}
