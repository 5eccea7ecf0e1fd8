package io.samsa.broker.handlers.txn;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * EndTxn (API 26, v0-5, KIP-98): commits or aborts the open transaction; answered once PrepareCommit /
 * PrepareAbort is written, the markers follow. v5 is Transactions V2 (KIP-890 part 2): the epoch is bumped at each
 * end and the response carries the producer id and epoch to continue with. Needs WRITE on the transactional id, else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED (Kafka's {@code KafkaApis.handleEndTxnRequest}).
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequestData> {
    private final TransactionCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public EndTxnHandler(TransactionCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public CompletableFuture<EndTxnResponseData> handle(RequestContext context, EndTxnRequestData request) {
        String txnId = request.transactionalId();
        if (!authorizer.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txnId)) {
            return CompletableFuture.completedFuture(error(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (txnId == null || txnId.isEmpty()) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST));
        }
        short clientVersion = context.apiVersion() >= 5 ? (short) 2 : (short) 0;
        return coordinator.onShard(txnId, shard -> coordinator.operations().endTxn(shard, txnId,
                        request.producerId(), request.producerEpoch(), request.committed(), clientVersion))
                .handle((r, e) -> e != null ? error(CoordinatorErrors.toError(e))
                        : new EndTxnResponseData().setErrorCode(Errors.NONE.code()).setProducerId(r.producerId())
                                .setProducerEpoch(r.producerEpoch()));
    }

    private static EndTxnResponseData error(Errors error) {
        return new EndTxnResponseData().setErrorCode(error.code()).setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    }
}
