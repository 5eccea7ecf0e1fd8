package io.samsa.broker.handlers.group;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * JoinGroup (API 11, v0-9): joins a classic group; parked until the rebalance completes (see
 * {@link io.samsa.coordinator.group.classic.ClassicGroupManager}).
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
        return coordinator.onShard(request.groupId() == null ? "" : request.groupId(),
                        h -> h.classic().join(GroupRequests.joinContext(context), request))
                .exceptionally(e -> new JoinGroupResponseData().setErrorCode(CoordinatorErrors.toError(e).code())
                        .setMemberId(request.memberId()).setGenerationId(-1).setProtocolName("").setLeader(""));
    }
}
