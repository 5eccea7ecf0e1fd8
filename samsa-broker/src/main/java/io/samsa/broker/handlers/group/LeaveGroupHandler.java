package io.samsa.broker.handlers.group;

import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * LeaveGroup (API 13, v0-5): one member (v0-2) or a batch by member id / group.instance.id (v3+, KIP-345). Needs READ
 * on the group, else GROUP_AUTHORIZATION_FAILED.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public LeaveGroupHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
        if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.LEAVE_GROUP, context.apiVersion(),
                    request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return coordinator.onShard(request.groupId(), h -> CompletableFuture.completedFuture(
                        h.membership().leave(request, context.apiVersion())))
                .exceptionally(e -> new LeaveGroupResponseData().setErrorCode(CoordinatorErrors.toError(e).code()));
    }
}
