package io.samsa.broker.handlers.group;

import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.consumer.ConsumerGroupService;
import io.samsa.coordinator.group.consumer.HeartbeatValidator;
import io.samsa.coordinator.group.consumer.Subscriptions;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.LinkedHashSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupHeartbeat (API 68, v0-1, KIP-848): join, heartbeat and leave of consumer-protocol members
 * ({@code group.protocol=consumer}). v1 adds {@code SubscribedTopicRegex} and client-generated member ids (KIP-1082).
 * Request-shape errors (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR) are answered on the event loop; the rest runs on the
 * group's coordinator shard ({@link ConsumerGroupService}), with coordinator errors (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE) mapped by {@link CoordinatorErrors}.
 *
 * <p>Authorization first (Kafka's {@code KafkaApis.handleConsumerGroupHeartbeat}): READ on the group, else
 * GROUP_AUTHORIZATION_FAILED; DESCRIBE on every topic of {@code SubscribedTopicNames}, else TOPIC_AUTHORIZATION_FAILED.
 * Topics a {@code SubscribedTopicRegex} matches are kept only when the heartbeating principal may DESCRIBE them
 * (Kafka's {@code TopicRegexResolver}); the group's regex resolution is shared by its members, as Kafka's.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {
    private final GroupCoordinator coordinator;
    private final ConsumerGroupService service;
    private final RequestAuthorizer authorizer;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator, ConsumerGroupService service,
                                         RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.service = service;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext context,
                                                                       ConsumerGroupHeartbeatRequestData request) {
        if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                    context.apiVersion(), request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        if (request.subscribedTopicNames() != null) {
            for (String topic : new LinkedHashSet<>(request.subscribedTopicNames())) {
                if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic)) {
                    return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                }
            }
        }
        try {
            HeartbeatValidator.validate(request, context.apiVersion(), service.settings().assignors());
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(error(e));
        }
        String clientHost = context.clientAddress() == null ? "" : context.clientAddress().getAddress().toString();
        Predicate<String> regexTopics = !authorizer.enabled() ? Subscriptions.ALL_TOPICS
                : topic -> authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic, false);
        return coordinator.onShard(request.groupId(), h -> CompletableFuture.completedFuture(
                        service.heartbeat(h.shard(), request, context.clientId(), clientHost, regexTopics)))
                .exceptionally(ConsumerGroupHeartbeatHandler::error);
    }

    private static ConsumerGroupHeartbeatResponseData error(Throwable t) {
        Errors error = CoordinatorErrors.toError(t);
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code())
                .setErrorMessage(CoordinatorErrors.message(t));
    }
}
