package io.samsa.broker.handlers.group;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.classic.ClassicGroup;
import io.samsa.coordinator.group.classic.ClassicGroupMember;
import io.samsa.coordinator.group.classic.ClassicGroupState;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeGroups (API 15, v0-6): a classic group's state, protocol type, members (client id, host) and, when Stable,
 * the selected protocol with each member's metadata and assignment, as Kafka answers. An unknown group (or a KIP-848
 * consumer group, described by ConsumerGroupDescribe) is "Dead" with no members, and from v6 also
 * GROUP_ID_NOT_FOUND (KIP-1043).
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleDescribeGroupsRequest}): DESCRIBE on each group, else that group is
 * GROUP_AUTHORIZATION_FAILED; with {@code IncludeAuthorizedOperations} (v3+) each described group carries the group
 * operations the principal may perform (KIP-430).
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public DescribeGroupsHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> handle(RequestContext context,
                                                                DescribeGroupsRequestData request) {
        short version = context.apiVersion();
        List<CompletableFuture<DescribeGroupsResponseData.DescribedGroup>> all = new ArrayList<>();
        boolean operations = version >= 3 && request.includeAuthorizedOperations();
        for (String groupId : request.groups()) {
            if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                all.add(CompletableFuture.completedFuture(new DescribeGroupsResponseData.DescribedGroup()
                        .setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()).setGroupState("")
                        .setProtocolType("").setProtocolData("")));
                continue;
            }
            all.add(coordinator.onShard(groupId, h -> CompletableFuture.completedFuture(
                            describe(groupId, h.shard().group(groupId), version)))
                    .exceptionally(e -> new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId)
                            .setErrorCode(CoordinatorErrors.toError(e).code()).setGroupState("")
                            .setProtocolType("").setProtocolData(""))
                    .thenApply(g -> !operations || g.errorCode() != Errors.NONE.code() ? g
                            : g.setAuthorizedOperations(authorizer.authorizedOperations(context, ResourceType.GROUP,
                                    groupId))));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v ->
                new DescribeGroupsResponseData().setGroups(all.stream().map(CompletableFuture::join).toList()));
    }

    private static DescribeGroupsResponseData.DescribedGroup describe(String groupId, Group group, short version) {
        DescribeGroupsResponseData.DescribedGroup out = new DescribeGroupsResponseData.DescribedGroup()
                .setGroupId(groupId).setErrorCode(Errors.NONE.code()).setProtocolType("").setProtocolData("");
        if (!(group instanceof ClassicGroup g) || g.isInState(ClassicGroupState.DEAD)) {
            out.setGroupState(ClassicGroupState.DEAD.wireName());
            if (version >= 6) {
                out.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + groupId + " not found.");
            }
            return out;
        }
        boolean stable = g.isInState(ClassicGroupState.STABLE);
        out.setGroupState(g.stateName()).setProtocolType(g.protocolType())
                .setProtocolData(stable && g.protocolName() != null ? g.protocolName() : "");
        for (ClassicGroupMember m : g.members()) {
            DescribeGroupsResponseData.DescribedGroupMember dm = new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId()).setClientId(m.clientId())
                    .setClientHost(m.clientHost()).setMemberMetadata(new byte[0]).setMemberAssignment(new byte[0]);
            if (stable) {
                byte[] metadata = m.metadata(g.protocolName());
                dm.setMemberMetadata(metadata == null ? new byte[0] : metadata).setMemberAssignment(m.assignment());
            }
            out.members().add(dm);
        }
        return out;
    }
}
