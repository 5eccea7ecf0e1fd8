package io.samsa.broker.handlers.group;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteGroups (API 42, v0-2): deletes empty groups and their offsets (tombstones); GROUP_ID_NOT_FOUND for an unknown
 * group, NON_EMPTY_GROUP for one with members. A name given twice is answered once.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleDeleteGroupsRequest}): DELETE on each group, else that group is
 * GROUP_AUTHORIZATION_FAILED (listed after the others, as Kafka).
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public DeleteGroupsHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponseData> handle(RequestContext context, DeleteGroupsRequestData request) {
        List<CompletableFuture<DeleteGroupsResponseData.DeletableGroupResult>> all = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (String groupId : new LinkedHashSet<>(request.groupsNames())) {
            if (!authorizer.authorize(context, AclOperation.DELETE, ResourceType.GROUP, groupId)) {
                denied.add(groupId);
                continue;
            }
            all.add(coordinator.onShard(groupId, h -> {
                h.offsets().deleteGroup(groupId);
                return CompletableFuture.completedFuture(Errors.NONE);
            }).handle((v, e) -> new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId)
                    .setErrorCode((e == null ? Errors.NONE : CoordinatorErrors.toError(e)).code())));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DeleteGroupsResponseData r = new DeleteGroupsResponseData();
            all.forEach(f -> r.results().add(f.join().duplicate()));
            denied.forEach(groupId -> r.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return r;
        });
    }
}
