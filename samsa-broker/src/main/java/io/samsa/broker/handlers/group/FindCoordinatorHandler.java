package io.samsa.broker.handlers.group;

import io.samsa.broker.BrokerContext;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * FindCoordinator (API 10, v0-6): for key type GROUP the broker leading the group's {@code __consumer_offsets}
 * partition, for TRANSACTION the one leading the transactional id's {@code __transaction_state} partition (KIP-98),
 * creating the topic on first use. v0-3 carry one key; v4+ a batch ({@code CoordinatorKeys}, KIP-699). SHARE keys
 * answer INVALID_REQUEST.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.getCoordinator}), per key: DESCRIBE on the group, else
 * GROUP_AUTHORIZATION_FAILED; DESCRIBE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED. v4+ batches
 * answer each key on its own; v0-3 answer the error with its default message.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData> {
    private final BrokerContext ctx;
    private final GroupCoordinator coordinator;
    private final TransactionCoordinator transactions;

    public FindCoordinatorHandler(BrokerContext ctx, GroupCoordinator coordinator,
                                  TransactionCoordinator transactions) {
        this.ctx = ctx;
        this.coordinator = coordinator;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponseData> handle(RequestContext context,
                                                                 FindCoordinatorRequestData request) {
        byte keyType = context.apiVersion() >= 1 ? request.keyType() : FindCoordinatorRequest.CoordinatorType.GROUP.id();
        if (context.apiVersion() < 4) {
            return find(context, keyType, request.key()).thenApply(c -> new FindCoordinatorResponseData()
                    .setErrorCode(c.errorCode()).setNodeId(c.nodeId()).setHost(c.host()).setPort(c.port())
                    .setErrorMessage(context.apiVersion() >= 1 ? c.errorMessage() : null));
        }
        List<CompletableFuture<FindCoordinatorResponseData.Coordinator>> all = new ArrayList<>();
        for (String key : request.coordinatorKeys()) {
            all.add(find(context, keyType, key));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v ->
                new FindCoordinatorResponseData().setCoordinators(all.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<FindCoordinatorResponseData.Coordinator> find(RequestContext context, byte keyType,
                                                                           String key) {
        boolean transaction = keyType == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        if (!transaction && keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            return CompletableFuture.completedFuture(error(key, Errors.INVALID_REQUEST,
                    "Unsupported coordinator key type " + keyType));
        }
        if (key == null) {
            return CompletableFuture.completedFuture(error("", Errors.INVALID_REQUEST,
                    transaction ? "No transactional id" : "No group id"));
        }
        ResourceType resource = transaction ? ResourceType.TRANSACTIONAL_ID : ResourceType.GROUP;
        if (!ctx.authorizer().authorize(context, AclOperation.DESCRIBE, resource, key)) {
            Errors denied = transaction ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                    : Errors.GROUP_AUTHORIZATION_FAILED;
            return CompletableFuture.completedFuture(error(key, denied,
                    context.apiVersion() < 4 ? denied.message() : null));
        }
        if (transaction && key.isEmpty()) {
            return CompletableFuture.completedFuture(error(key, Errors.INVALID_REQUEST, "Empty transactional id"));
        }
        CompletableFuture<Integer> found = transaction ? transactions.findCoordinator(key)
                : coordinator.findCoordinator(key);
        return found.handle((nodeId, e) -> {
            if (e != null) {
                return error(key, CoordinatorErrors.toError(e), CoordinatorErrors.message(e));
            }
            BrokerRegistration broker = ctx.image().brokers().get(nodeId);
            BrokerRegistration.Endpoint ep = broker == null ? null : broker.endpoints().stream()
                    .filter(x -> x.listener().equals(context.listenerName())).findFirst()
                    .orElse(broker.endpoints().isEmpty() ? null : broker.endpoints().getFirst());
            if (nodeId == ctx.nodeId()) {
                ep = ctx.endpoints().get().stream().filter(x -> x.listener().equals(context.listenerName()))
                        .findFirst().orElse(ep);
            }
            if (ep == null) {
                return error(key, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator has no endpoint");
            }
            return new FindCoordinatorResponseData.Coordinator().setKey(key).setNodeId(nodeId).setHost(ep.host())
                    .setPort(ep.port()).setErrorCode(Errors.NONE.code());
        });
    }

    private static FindCoordinatorResponseData.Coordinator error(String key, Errors error, String message) {
        return new FindCoordinatorResponseData.Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1)
                .setErrorCode(error.code()).setErrorMessage(message);
    }
}
