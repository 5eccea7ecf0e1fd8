package io.samsa.broker.handlers.txn;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddOffsetsToTxn (API 25, v0-4, KIP-98): adds the group's {@code __consumer_offsets} partition to the transaction,
 * so that its TxnOffsetCommit offsets get the transaction's marker. Errors as AddPartitionsToTxn.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequestData> {
    private final TransactionCoordinator coordinator;
    private final GroupCoordinator groups;

    public AddOffsetsToTxnHandler(TransactionCoordinator coordinator, GroupCoordinator groups) {
        this.coordinator = coordinator;
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponseData> handle(RequestContext context,
                                                                 AddOffsetsToTxnRequestData request) {
        String txnId = request.transactionalId();
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
