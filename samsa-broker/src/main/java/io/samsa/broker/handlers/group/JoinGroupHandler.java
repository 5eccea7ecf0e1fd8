package io.samsa.broker.handlers.group;

import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * JoinGroup (API 11, v0-9): joins a classic group; parked until the rebalance completes (see
 * {@link io.samsa.coordinator.group.classic.ClassicGroupManager}). Needs READ on the group, else
 * GROUP_AUTHORIZATION_FAILED (Kafka's {@code KafkaApis.handleJoinGroupRequest}).
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public JoinGroupHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
        if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.JOIN_GROUP, context.apiVersion(),
                    request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return coordinator.onShard(request.groupId() == null ? "" : request.groupId(),
                        h -> h.classic().join(GroupRequests.joinContext(context), request))
                .exceptionally(e -> new JoinGroupResponseData().setErrorCode(CoordinatorErrors.toError(e).code())
                        .setMemberId(request.memberId()).setGenerationId(-1).setProtocolName("").setLeader(""));
    }
}
