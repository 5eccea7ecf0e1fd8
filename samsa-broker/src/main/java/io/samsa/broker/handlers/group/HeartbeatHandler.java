package io.samsa.broker.handlers.group;

import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Heartbeat (API 12, v0-4): keeps a classic member's session; REBALANCE_IN_PROGRESS tells it to rejoin. Needs READ on
 * the group, else GROUP_AUTHORIZATION_FAILED.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public HeartbeatHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
        if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.HEARTBEAT, context.apiVersion(),
                    request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return coordinator.onShard(request.groupId(),
                        h -> CompletableFuture.completedFuture(h.membership().heartbeat(request)))
                .exceptionally(e -> new HeartbeatResponseData().setErrorCode(CoordinatorErrors.toError(e).code()));
    }
}
