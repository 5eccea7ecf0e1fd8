package io.samsa.broker.handlers.group;

import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups (API 16, v0-5): the groups of every shard this broker coordinates, filtered by state (v4+, KIP-518,
 * case-insensitive) and type (v5+, KIP-848: "classic", "consumer"). A shard still loading makes the answer
 * COORDINATOR_LOAD_IN_PROGRESS, with the groups of the loaded shards.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleListGroupsRequest}): DESCRIBE on the cluster lists every group;
 * otherwise only the groups the principal may DESCRIBE are listed (never an error).
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public ListGroupsHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
        Set<String> states = lower(context.apiVersion() >= 4 ? request.statesFilter() : List.of());
        Set<String> types = lower(context.apiVersion() >= 5 ? request.typesFilter() : List.of());
        boolean all = authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER,
                AuthorizedOperations.CLUSTER_NAME, false);
        List<CompletableFuture<List<ListGroupsResponseData.ListedGroup>>> parts = new ArrayList<>();
        for (GroupCoordinator.ShardHandle h : coordinator.shards()) {
            parts.add(h.shard().call(() -> {
                List<ListGroupsResponseData.ListedGroup> out = new ArrayList<>();
                for (Group g : h.shard().groups()) {
                    String type = g.type().toString().toLowerCase(Locale.ROOT);
                    if ((all || authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId(),
                            false))
                            && (states.isEmpty() || states.contains(g.stateName().toLowerCase(Locale.ROOT)))
                            && (types.isEmpty() || types.contains(type))) {
                        out.add(new ListGroupsResponseData.ListedGroup().setGroupId(g.groupId())
                                .setProtocolType(g.protocolType()).setGroupState(g.stateName()).setGroupType(type));
                    }
                }
                return out;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((v, ignored) -> {
            ListGroupsResponseData response = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
            for (CompletableFuture<List<ListGroupsResponseData.ListedGroup>> f : parts) {
                try {
                    response.groups().addAll(f.join());
                } catch (RuntimeException e) {
                    response.setErrorCode(CoordinatorErrors.toError(e).code());
                }
            }
            return response;
        });
    }

    private static Set<String> lower(List<String> values) {
        return values == null ? Set.of()
                : values.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
