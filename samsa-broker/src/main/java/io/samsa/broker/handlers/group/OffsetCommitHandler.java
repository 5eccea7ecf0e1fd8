package io.samsa.broker.handlers.group;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.OffsetManager.OffsetToCommit;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetCommit (API 8, v2-10): commits offsets for a group after the group validates the member
 * ({@link io.samsa.coordinator.group.Group#validateOffsetCommit}: generation for classic groups, member epoch for KIP-848
 * groups). Topics are named (v2-9) or given by id (v10, unknown ids get UNKNOWN_TOPIC_ID); an unknown topic or
 * partition gets UNKNOWN_TOPIC_OR_PARTITION, metadata over {@code offset.metadata.max.bytes}
 * OFFSET_METADATA_TOO_LARGE. v2-4 {@code RetentionTimeMs} sets an explicit expiry.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleOffsetCommitRequest}): READ on the group, else every partition is
 * GROUP_AUTHORIZATION_FAILED; then READ on each topic, else its partitions are TOPIC_AUTHORIZATION_FAILED (checked
 * after an unknown topic id, before an unknown topic name); the authorized partitions are committed.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {
    private final BrokerContext ctx;
    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(BrokerContext ctx, GroupCoordinator coordinator) {
        this.ctx = ctx;
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestContext context, OffsetCommitRequestData req) {
        short version = context.apiVersion();
        if (!ctx.authorizer().authorize(context, AclOperation.READ, ResourceType.GROUP, req.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.OFFSET_COMMIT, version, req,
                    Errors.GROUP_AUTHORIZATION_FAILED));
        }
        ClusterImage image = ctx.image();
        long now = System.currentTimeMillis();
        long expire = version <= 4 && req.retentionTimeMs() >= 0 ? now + req.retentionTimeMs() : -1;
        Map<TopicPartition, Errors> early = new HashMap<>();
        List<OffsetToCommit> valid = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics()) {
            Optional<TopicImage> topic = version >= 10 ? image.topic(ReplicaManager.fromKafka(t.topicId()))
                    : image.topic(t.name());
            String name = topic.map(TopicImage::name).orElse(t.name() == null ? "" : t.name());
            boolean readable = (version >= 10 && topic.isEmpty())
                    || ctx.authorizer().authorize(context, AclOperation.READ, ResourceType.TOPIC, name);
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                TopicPartition tp = new TopicPartition(version >= 10 ? t.topicId().toString() : name,
                        p.partitionIndex());
                if (version >= 10 && topic.isEmpty()) {
                    early.put(tp, Errors.UNKNOWN_TOPIC_ID);
                } else if (!readable) {
                    early.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (topic.isEmpty()) {
                    early.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else if (p.partitionIndex() < 0 || p.partitionIndex() >= topic.get().partitions().size()) {
                    early.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    valid.add(new OffsetToCommit(new TopicPartition(name, p.partitionIndex()), p.committedOffset(),
                            p.committedLeaderEpoch(), p.committedMetadata(), expire));
                }
            }
        }
        String groupId = req.groupId();
        CompletableFuture<Map<TopicPartition, Errors>> committed;
        if (groupId == null || groupId.isEmpty()) {
            committed = CompletableFuture.failedFuture(Errors.INVALID_GROUP_ID.exception());
        } else if (valid.isEmpty()) {
            committed = CompletableFuture.completedFuture(Map.of());
        } else {
            committed = coordinator.onShard(groupId, h -> CompletableFuture.completedFuture(h.offsets().commit(groupId,
                    req.memberId(), req.groupInstanceId(), req.generationIdOrMemberEpoch(), version, valid)));
        }
        return committed.handle((result, e) -> {
            Errors all = e == null ? null : CoordinatorErrors.toError(e);
            OffsetCommitResponseData response = new OffsetCommitResponseData();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic t : req.topics()) {
                Optional<TopicImage> topic = version >= 10 ? image.topic(ReplicaManager.fromKafka(t.topicId()))
                        : image.topic(t.name());
                String name = topic.map(TopicImage::name).orElse(t.name() == null ? "" : t.name());
                OffsetCommitResponseData.OffsetCommitResponseTopic rt = new OffsetCommitResponseData
                        .OffsetCommitResponseTopic().setName(name).setTopicId(t.topicId());
                for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                    TopicPartition key = new TopicPartition(version >= 10 ? t.topicId().toString() : name,
                            p.partitionIndex());
                    Errors error = early.get(key);
                    if (error == null) {
                        TopicPartition tp = new TopicPartition(name, p.partitionIndex());
                        error = all != null ? all : result.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                    }
                    rt.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
                }
                response.topics().add(rt);
            }
            return response;
        });
    }
}
