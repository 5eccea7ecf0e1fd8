package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteTopics (API 20, v1-6): by name (v1-5 {@code TopicNames}) or by name or id (v6 {@code Topics}). Unknown
 * topics get UNKNOWN_TOPIC_OR_PARTITION or UNKNOWN_TOPIC_ID. The logs are removed once the deletion commits.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {
    private final BrokerContext ctx;

    public DeleteTopicsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponseData> handle(RequestContext context, DeleteTopicsRequestData request) {
        ClusterImage image = ctx.image();
        List<CompletableFuture<DeletableTopicResult>> results = new ArrayList<>();
        if (context.apiVersion() >= 6) {
            for (DeleteTopicsRequestData.DeleteTopicState t : request.topics()) {
                if (t.name() != null) {
                    results.add(delete(context, image.topic(t.name()), t.name(), null));
                } else {
                    Uuid id = t.topicId();
                    results.add(delete(context,
                            image.topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits())), null, id));
                }
            }
        } else {
            for (String name : request.topicNames()) {
                results.add(delete(context, image.topic(name), name, null));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            for (CompletableFuture<DeletableTopicResult> r : results) {
                response.responses().add(r.join());
            }
            return response;
        });
    }

    private CompletableFuture<DeletableTopicResult> delete(RequestContext context, Optional<TopicImage> topic,
                                                          String name, Uuid id) {
        // Kafka: DELETE on the topic, checked before whether a named topic exists; a topic id must resolve first
        String resolved = topic.map(TopicImage::name).orElse(name);
        if (resolved != null && !Acls.topic(ctx, context, AclOperation.DELETE, resolved)) {
            return CompletableFuture.completedFuture(new DeletableTopicResult().setName(name)
                    .setTopicId(id == null ? Uuid.ZERO_UUID : id)
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
        }
        if (topic.isEmpty()) {
            Errors error = id != null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            return CompletableFuture.completedFuture(new DeletableTopicResult().setName(name)
                    .setTopicId(id == null ? Uuid.ZERO_UUID : id).setErrorCode(error.code())
                    .setErrorMessage(error.message()));
        }
        TopicImage t = topic.get();
        Uuid topicId = ReplicaManager.toKafka(t.topicId());
        return ctx.quorum().deleteTopic(t.name()).handle((v, error) -> {
            DeletableTopicResult r = new DeletableTopicResult().setName(t.name()).setTopicId(topicId);
            if (error != null) {
                return r.setErrorCode(ErrorMapper.toError(error).code()).setErrorMessage(ErrorMapper.message(error));
            }
            return r.setErrorCode(Errors.NONE.code());
        });
    }
}
