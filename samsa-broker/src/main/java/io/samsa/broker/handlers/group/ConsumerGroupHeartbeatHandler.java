package io.samsa.broker.handlers.group;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.consumer.ConsumerGroupService;
import io.samsa.coordinator.group.consumer.HeartbeatValidator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupHeartbeat (API 68, v0-1, KIP-848): join, heartbeat and leave of consumer-protocol members
 * ({@code group.protocol=consumer}). v1 adds {@code SubscribedTopicRegex} and client-generated member ids (KIP-1082).
 * Request-shape errors (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR) are answered on the event loop; the rest runs on the
 * group's coordinator shard ({@link ConsumerGroupService}), with coordinator errors (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE) mapped by {@link CoordinatorErrors}.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {
    private final GroupCoordinator coordinator;
    private final ConsumerGroupService service;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator, ConsumerGroupService service) {
        this.coordinator = coordinator;
        this.service = service;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext context,
                                                                       ConsumerGroupHeartbeatRequestData request) {
        try {
            HeartbeatValidator.validate(request, context.apiVersion(), service.settings().assignors());
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(error(e));
        }
        String clientHost = context.clientAddress() == null ? "" : context.clientAddress().getAddress().toString();
        return coordinator.onShard(request.groupId(), h -> CompletableFuture.completedFuture(
                        service.heartbeat(h.shard(), request, context.clientId(), clientHost)))
                .exceptionally(ConsumerGroupHeartbeatHandler::error);
    }

    private static ConsumerGroupHeartbeatResponseData error(Throwable t) {
        Errors error = CoordinatorErrors.toError(t);
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code())
                .setErrorMessage(CoordinatorErrors.message(t));
    }
}
