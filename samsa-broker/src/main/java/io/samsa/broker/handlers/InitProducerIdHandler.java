package io.samsa.broker.handlers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.coordinator.txn.TxnOperations;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * InitProducerId (API 22, v0-6). Without {@code transactional.id} (idempotent producers): a fresh producer id with
 * epoch 0, unique across restarts; a producer re-initializing after an unknown-sequence error (KIP-360) also gets a
 * fresh id. With a {@code transactional.id}: the transaction coordinator's answer (KIP-98, KIP-360): the id's
 * producer id with a bumped epoch, fencing older instances; INVALID_TRANSACTION_TIMEOUT when
 * {@code transaction.timeout.ms} exceeds {@code transaction.max.timeout.ms}; CONCURRENT_TRANSACTIONS while an open
 * transaction of a previous instance is being aborted; NOT_COORDINATOR when another broker coordinates the id.
 * {@code __transaction_state} is created on first use.
 *
 * <p>Authorization first (Kafka's {@code KafkaApis.handleInitProducerIdRequest}): with a transactional id, WRITE on it
 * (and TWO_PHASE_COMMIT when {@code Enable2Pc}), else TRANSACTIONAL_ID_AUTHORIZATION_FAILED; without one,
 * IDEMPOTENT_WRITE on the cluster or WRITE on at least one topic (KIP-679), else CLUSTER_AUTHORIZATION_FAILED.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData> {
    private static final Logger LOGGER = LoggerFactory.getLogger(InitProducerIdHandler.class);
    private final BrokerContext ctx;
    private final TransactionCoordinator coordinator;

    public InitProducerIdHandler(BrokerContext ctx, TransactionCoordinator coordinator) {
        this.ctx = ctx;
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestContext context,
                                                                InitProducerIdRequestData request) {
        String txnId = request.transactionalId();
        Errors denied = authorization(ctx.authorizer(), context, request);
        if (denied != null) {
            return CompletableFuture.completedFuture(error(denied));
        }
        if (txnId == null) {
            return ctx.producerIds().nextProducerId().handle((id, error) -> {
                if (error != null) {
                    // no producer id block from the controller yet (e.g. during a controller election): retriable,
                    // as Kafka's RPCProducerIdManager answers while it waits for the next block
                    LOGGER.info("No producer id for {} yet: {}", context.clientId(), ErrorMapper.message(error));
                    return error(Errors.COORDINATOR_LOAD_IN_PROGRESS);
                }
                return new InitProducerIdResponseData().setErrorCode(Errors.NONE.code()).setProducerId(id)
                        .setProducerEpoch((short) 0);
            });
        }
        long producerId = request.producerId();
        short epoch = request.producerEpoch();
        if (txnId.isEmpty() || (producerId == RecordBatch.NO_PRODUCER_ID) != (epoch == RecordBatch.NO_PRODUCER_EPOCH)) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST));
        }
        int timeoutMs = request.transactionTimeoutMs();
        TxnOperations ops = coordinator.operations();
        if (!ops.validTimeout(timeoutMs)) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        return coordinator.ensureTopic()
                .thenCompose(v -> coordinator.onShard(txnId, shard ->
                        ops.initProducerId(shard, txnId, timeoutMs, producerId, epoch)))
                .handle((result, e) -> e != null ? error(CoordinatorErrors.toError(e))
                        : new InitProducerIdResponseData().setErrorCode(Errors.NONE.code())
                                .setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch()));
    }

    /** The authorization error of {@code request}, or null when it may go on. */
    static Errors authorization(RequestAuthorizer authorizer, RequestContext context,
                                InitProducerIdRequestData request) {
        String txnId = request.transactionalId();
        if (txnId != null) {
            boolean allowed = authorizer.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txnId)
                    && (!request.enable2Pc() || authorizer.authorize(context, AclOperation.TWO_PHASE_COMMIT,
                            ResourceType.TRANSACTIONAL_ID, txnId));
            return allowed ? null : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        boolean allowed = authorizer.authorize(context, AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER,
                "kafka-cluster", false)
                || authorizer.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC);
        return allowed ? null : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }

    private static InitProducerIdResponseData error(Errors error) {
        return new InitProducerIdResponseData().setErrorCode(error.code())
                .setProducerId(RecordBatch.NO_PRODUCER_ID).setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    }
}
