package io.samsa.broker.handlers.group;

import io.samsa.broker.security.RequestAuthorizer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupDescribe (API 69, v0-1, KIP-848): each KIP-848 group with its state, epochs, assignor and members
 * (current and target assignments; v1 adds the member type, KIP-1099). Unknown and classic groups answer
 * GROUP_ID_NOT_FOUND, which makes the admin client fall back to DescribeGroups; an empty id answers INVALID_GROUP_ID.
 * Each group is read on its coordinator shard; coordinator errors are per group.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleConsumerGroupDescribe}): DESCRIBE on each group, else that group is
 * GROUP_AUTHORIZATION_FAILED; with {@code IncludeAuthorizedOperations} a described group carries the group operations
 * the principal may perform (KIP-430). With an authorizer, a group whose members' current or target assignments name a
 * topic the principal may not DESCRIBE is answered TOPIC_AUTHORIZATION_FAILED without its members.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {
    private final GroupCoordinator coordinator;
    private final ConsumerGroupService service;
    private final Supplier<ClusterImage> image;
    private final RequestAuthorizer authorizer;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, ConsumerGroupService service,
                                        Supplier<ClusterImage> image, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.service = service;
        this.image = image;
        this.authorizer = authorizer;
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
            if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                futures.add(CompletableFuture.completedFuture(new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            } else {
                futures.add(describe(groupId).thenApply(g -> !request.includeAuthorizedOperations()
                        || g.errorCode() != Errors.NONE.code() ? g : g.setAuthorizedOperations(
                                authorizer.authorizedOperations(context, ResourceType.GROUP, groupId))));
            }
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            Map<String, Boolean> describable = new HashMap<>();
            futures.forEach(f -> response.groups().add(!authorizer.enabled() ? f.join()
                    : hideUndescribableTopics(f.join(), topic -> describable.computeIfAbsent(topic,
                            t -> authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, t)))));
            return response;
        });
    }

    /**
     * {@code group} unchanged, or TOPIC_AUTHORIZATION_FAILED without members when a member's current or target
     * assignment names a topic that {@code describable} refuses (Kafka 4.3's ConsumerGroupDescribe).
     */
    static DescribedGroup hideUndescribableTopics(DescribedGroup group, Predicate<String> describable) {
        boolean hidden = group.members().stream()
                .flatMap(m -> Stream.of(m.assignment(), m.targetAssignment()))
                .filter(Objects::nonNull)
                .flatMap(a -> a.topicPartitions().stream())
                .anyMatch(tp -> !describable.test(tp.topicName()));
        return !hidden ? group : new DescribedGroup().setGroupId(group.groupId())
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage("The group has described topic(s) that the client is not authorized to describe.")
                .setMembers(List.of());
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
