package io.samsa.broker.handlers.group;

import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetDelete (API 47, v0, KIP-496): deletes a group's committed offsets of some partitions. Top-level
 * GROUP_ID_NOT_FOUND or NON_EMPTY_GROUP (members of a non-consumer protocol); per partition
 * GROUP_SUBSCRIBED_TO_TOPIC when a member's subscription names the topic.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleOffsetDeleteRequest}): DELETE on the group, else a top-level
 * GROUP_AUTHORIZATION_FAILED; READ on each topic, else its partitions are TOPIC_AUTHORIZATION_FAILED and kept.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {
    private final GroupCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public OffsetDeleteHandler(GroupCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> handle(RequestContext context, OffsetDeleteRequestData request) {
        if (!authorizer.authorize(context, AclOperation.DELETE, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.OFFSET_DELETE, context.apiVersion(),
                    request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        Set<String> denied = new HashSet<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
            if (!authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, t.name())) {
                denied.add(t.name());
                continue;
            }
            t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p.partitionIndex())));
        }
        return coordinator.onShard(request.groupId(), h -> CompletableFuture.completedFuture(
                h.offsets().deleteOffsets(request.groupId(), partitions))).handle((result, e) -> {
                    if (e != null) {
                        return new OffsetDeleteResponseData().setErrorCode(CoordinatorErrors.toError(e).code());
                    }
                    OffsetDeleteResponseData r = new OffsetDeleteResponseData().setErrorCode(Errors.NONE.code());
                    for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
                        OffsetDeleteResponseData.OffsetDeleteResponseTopic rt =
                                new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t.name());
                        for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                            TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                            Errors error = denied.contains(t.name()) ? Errors.TOPIC_AUTHORIZATION_FAILED
                                    : result.getOrDefault(tp, Errors.NONE);
                            rt.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
                        }
                        r.topics().add(rt);
                    }
                    return r;
                });
    }
}
