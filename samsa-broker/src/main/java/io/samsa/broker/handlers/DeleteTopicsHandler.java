package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.quota.MutationQuota;
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
        MutationQuota quota = MutationQuota.forRequest(ctx.quotas(), context);
        if (context.apiVersion() >= 6) {
            for (DeleteTopicsRequestData.DeleteTopicState t : request.topics()) {
                if (t.name() != null) {
                    results.add(delete(context, image.topic(t.name()), t.name(), null, quota));
                } else {
                    Uuid id = t.topicId();
                    results.add(delete(context,
                            image.topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits())), null, id,
                            quota));
                }
            }
        } else {
            for (String name : request.topicNames()) {
                results.add(delete(context, image.topic(name), name, null, quota));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData()
                    .setThrottleTimeMs(quota.throttleTimeMs());
            for (CompletableFuture<DeletableTopicResult> r : results) {
                response.responses().add(r.join());
            }
            return response;
        });
    }

    private CompletableFuture<DeletableTopicResult> delete(RequestContext context, Optional<TopicImage> topic,
                                                          String name, Uuid id, MutationQuota quota) {
        // Kafka's controller: DELETE on the cluster allows every topic; else a named topic needs DESCRIBE (checked
        // before whether it exists) and DELETE, a topic id must resolve and its topic needs DELETE (the name is shown
        // only with DESCRIBE)
        String resolved = topic.map(TopicImage::name).orElse(name);
        if (resolved != null && !Acls.clusterQuietly(ctx, context, AclOperation.DELETE)) {
            boolean describable = Acls.topic(ctx, context, AclOperation.DESCRIBE, resolved);
            boolean deletable = describable && Acls.topic(ctx, context, AclOperation.DELETE, resolved);
            if (!describable || (!deletable && topic.isPresent())) {
                return CompletableFuture.completedFuture(new DeletableTopicResult()
                        .setName(id == null || describable ? resolved : null)
                        .setTopicId(id == null ? Uuid.ZERO_UUID : id)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
            }
        }
        if (topic.isEmpty()) {
            Errors error = id != null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            return CompletableFuture.completedFuture(new DeletableTopicResult().setName(name)
                    .setTopicId(id == null ? Uuid.ZERO_UUID : id).setErrorCode(error.code())
                    .setErrorMessage(error.message()));
        }
        TopicImage t = topic.get();
        Uuid topicId = ReplicaManager.toKafka(t.topicId());
        if (!quota.tryRecord(t.partitions().size())) {
            return CompletableFuture.completedFuture(new DeletableTopicResult().setName(t.name()).setTopicId(topicId)
                    .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                    .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message()));
        }
        return ctx.quorum().deleteTopic(t.name()).handle((v, error) -> {
            DeletableTopicResult r = new DeletableTopicResult().setName(t.name()).setTopicId(topicId);
            if (error != null) {
                return r.setErrorCode(ErrorMapper.toError(error).code()).setErrorMessage(ErrorMapper.message(error));
            }
            return r.setErrorCode(Errors.NONE.code());
        });
    }
}
