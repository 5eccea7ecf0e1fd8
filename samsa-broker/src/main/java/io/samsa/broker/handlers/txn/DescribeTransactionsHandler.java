package io.samsa.broker.handlers.txn;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.coordinator.txn.TxnMetadata;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeTransactions (API 65, v0, KIP-664): the state, producer id and epoch, timeout, start time and partitions of
 * each transactional id coordinated here; TRANSACTIONAL_ID_NOT_FOUND for unknown ids, NOT_COORDINATOR for ids of
 * another broker.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleDescribeTransactionsRequest}): DESCRIBE on each transactional id,
 * else TRANSACTIONAL_ID_AUTHORIZATION_FAILED; the partitions of topics the principal may not DESCRIBE are left out.
 */
public final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequestData> {
    private final TransactionCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public DescribeTransactionsHandler(TransactionCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponseData> handle(RequestContext context,
                                                                      DescribeTransactionsRequestData request) {
        List<CompletableFuture<TransactionState>> all = new ArrayList<>();
        for (String txnId : request.transactionalIds()) {
            if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, txnId)) {
                all.add(CompletableFuture.completedFuture(new TransactionState().setTransactionalId(txnId)
                        .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())));
                continue;
            }
            all.add(describe(txnId).thenApply(state -> {
                state.topics().removeIf(t -> !authorizer.authorize(context, AclOperation.DESCRIBE,
                        ResourceType.TOPIC, t.topic()));
                return state;
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v ->
                new DescribeTransactionsResponseData().setTransactionStates(
                        all.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<TransactionState> describe(String txnId) {
        TransactionState state = new TransactionState().setTransactionalId(txnId);
        if (txnId == null || txnId.isEmpty()) {
            return CompletableFuture.completedFuture(state.setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        return coordinator.onShard(txnId, shard -> shard.get(txnId)).handle((m, e) -> {
            if (e != null) {
                return state.setErrorCode(CoordinatorErrors.toError(e).code());
            }
            if (m == null) {
                return state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
            }
            return fill(state, m);
        });
    }

    private static TransactionState fill(TransactionState state, TxnMetadata m) {
        for (TopicPartition tp : m.partitions()) {
            TopicData topic = state.topics().find(tp.topic());
            if (topic == null) {
                topic = new TopicData().setTopic(tp.topic());
                state.topics().add(topic);
            }
            topic.partitions().add(tp.partition());
        }
        return state.setErrorCode(Errors.NONE.code()).setProducerId(m.producerId())
                .setProducerEpoch(m.producerEpoch()).setTransactionState(m.state().displayName())
                .setTransactionTimeoutMs(m.txnTimeoutMs()).setTransactionStartTimeMs(m.txnStartTimestamp());
    }
}
