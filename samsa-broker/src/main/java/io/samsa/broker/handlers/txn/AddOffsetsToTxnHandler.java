package io.samsa.broker.handlers.txn;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AddOffsetsToTxn (API 25, v0-4, KIP-98): adds the group's {@code __consumer_offsets} partition to the transaction,
 * so that its TxnOffsetCommit offsets get the transaction's marker. Errors as AddPartitionsToTxn.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleAddOffsetsToTxnRequest}): WRITE on the transactional id, else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED; then READ on the group, else GROUP_AUTHORIZATION_FAILED.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequestData> {
    private final TransactionCoordinator coordinator;
    private final GroupCoordinator groups;
    private final RequestAuthorizer authorizer;

    public AddOffsetsToTxnHandler(TransactionCoordinator coordinator, GroupCoordinator groups,
                                  RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.groups = groups;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponseData> handle(RequestContext context,
                                                                 AddOffsetsToTxnRequestData request) {
        String txnId = request.transactionalId();
        if (!authorizer.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txnId)) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        if (txnId == null || txnId.isEmpty() || request.groupId() == null) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        TopicPartition offsets = new TopicPartition(GroupCoordinator.TOPIC, groups.partitionFor(request.groupId()));
        return coordinator.onShardAsync(txnId, shard -> coordinator.operations().addPartitionsWhenComplete(shard,
                txnId, request.producerId(), request.producerEpoch(), Set.of(offsets), (short) 0)).handle((ok, e) -> new AddOffsetsToTxnResponseData()
                .setErrorCode((e != null ? CoordinatorErrors.toError(e) : Errors.NONE).code()));
    }
}
