package io.samsa.broker.handlers.group;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** LeaveGroup (API 13, v0-5): one member (v0-2) or a batch by member id / group.instance.id (v3+, KIP-345). */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
        return coordinator.onShard(request.groupId(), h -> CompletableFuture.completedFuture(
                        h.membership().leave(request, context.apiVersion())))
                .exceptionally(e -> new LeaveGroupResponseData().setErrorCode(CoordinatorErrors.toError(e).code()));
    }
}
