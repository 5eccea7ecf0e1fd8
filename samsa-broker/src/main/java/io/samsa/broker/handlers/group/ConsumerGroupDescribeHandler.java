package io.samsa.broker.handlers.group;

import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.Group;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.consumer.ConsumerGroup;
import io.samsa.coordinator.group.consumer.ConsumerGroupDescriber;
import io.samsa.coordinator.group.consumer.ConsumerGroupService;
import io.samsa.metadata.ClusterImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupDescribe (API 69, v0-1, KIP-848): each KIP-848 group with its state, epochs, assignor and members
 * (current and target assignments; v1 adds the member type, KIP-1099). Unknown and classic groups answer
 * GROUP_ID_NOT_FOUND, which makes the admin client fall back to DescribeGroups; an empty id answers INVALID_GROUP_ID.
 * Each group is read on its coordinator shard; coordinator errors are per group.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {
    private final GroupCoordinator coordinator;
    private final ConsumerGroupService service;
    private final Supplier<ClusterImage> image;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, ConsumerGroupService service,
                                        Supplier<ClusterImage> image) {
        this.coordinator = coordinator;
        this.service = service;
        this.image = image;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ConsumerGroupDescribeResponseData> handle(RequestContext context,
                                                                      ConsumerGroupDescribeRequestData request) {
        List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            futures.add(describe(groupId));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            futures.forEach(f -> response.groups().add(f.join()));
            return response;
        });
    }

    private CompletableFuture<DescribedGroup> describe(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(new DescribedGroup().setGroupId(groupId == null ? "" : groupId)
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return coordinator.onShard(groupId, h -> {
            Group g = h.shard().group(groupId);
            return CompletableFuture.completedFuture(g instanceof ConsumerGroup cg
                    ? ConsumerGroupDescriber.describe(cg, service.settings(), image.get())
                    : ConsumerGroupDescriber.notFound(groupId, g != null));
        }).exceptionally(t -> new DescribedGroup().setGroupId(groupId)
                .setErrorCode(CoordinatorErrors.toError(t).code()).setErrorMessage(CoordinatorErrors.message(t)));
    }
}
