package io.samsa.broker.handlers.group;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * SyncGroup (API 14, v0-5): the leader hands in the assignment (opaque bytes, passed through untouched); every member
 * gets its own once it is written.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        return coordinator.onShard(request.groupId(), h -> h.membership().sync(request))
                .exceptionally(e -> new SyncGroupResponseData().setErrorCode(CoordinatorErrors.toError(e).code())
                        .setAssignment(new byte[0]));
    }
}
