package io.samsa.broker.handlers.group;

import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * SyncGroup (API 14, v0-5): the leader hands in the assignment (opaque bytes, passed through untouched); every member
 * gets its own once it is written. From v5 a request without protocol type or name is INCONSISTENT_GROUP_PROTOCOL;
 * then READ on the group is needed, else GROUP_AUTHORIZATION_FAILED (Kafka's order).
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public SyncGroupHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        if (context.apiVersion() >= 5 && (request.protocolType() == null || request.protocolName() == null)) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.SYNC_GROUP, context.apiVersion(),
                    request, Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.SYNC_GROUP, context.apiVersion(),
                    request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return coordinator.onShard(request.groupId(), h -> h.membership().sync(request))
                .exceptionally(e -> new SyncGroupResponseData().setErrorCode(CoordinatorErrors.toError(e).code())
                        .setAssignment(new byte[0]));
    }
}
