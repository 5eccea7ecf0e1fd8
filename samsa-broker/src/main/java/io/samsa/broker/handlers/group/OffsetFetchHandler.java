package io.samsa.broker.handlers.group;

import io.samsa.broker.BrokerContext;
import io.samsa.coordinator.group.CommittedOffset;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import io.samsa.broker.security.RequestAuthorizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetFetch (API 9, v1-10): committed offsets of one group (v1-7) or a batch of groups (v8+, KIP-709), of all
 * partitions (null topics, v2+) or of the named ones (-1 and "" when none is committed); topic ids from v10. KIP-848
 * members send their id and epoch (v9+), checked by {@link io.samsa.coordinator.group.Group#validateOffsetFetch}.
 * Pending transactional offsets (TxnOffsetCommit of an open transaction) are never returned; with
 * {@code RequireStable} (v7+, KIP-447) a partition that has one is answered UNSTABLE_OFFSET_COMMIT (offset -1), which
 * the consumer retries until the transaction ends.
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleOffsetFetchRequest}), per group: DESCRIBE on the group, else the
 * group's error is GROUP_AUTHORIZATION_FAILED; named topics need DESCRIBE, else their partitions are
 * TOPIC_AUTHORIZATION_FAILED (an unknown topic id stays UNKNOWN_TOPIC_ID); when all partitions are asked for, the
 * topics without DESCRIBE (and, from v10, topics that no longer exist) are left out.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {
    private final BrokerContext ctx;
    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(BrokerContext ctx, GroupCoordinator coordinator) {
        this.ctx = ctx;
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    /** One topic of a request: its name (null: unknown id) and id, and the partitions asked for. */
    private record Wanted(String name, Uuid id, List<Integer> partitions) {
    }

    /** Who asks, to check DESCRIBE on groups and topics. */
    private record Asker(RequestAuthorizer authorizer, RequestContext context) {
        boolean mayDescribe(ResourceType type, String name) {
            return authorizer.authorize(context, AclOperation.DESCRIBE, type, name);
        }
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> handle(RequestContext context, OffsetFetchRequestData req) {
        short version = context.apiVersion();
        ClusterImage image = ctx.image();
        Asker asker = new Asker(ctx.authorizer(), context);
        if (version < 8) {
            List<Wanted> wanted = req.topics() == null ? null : req.topics().stream()
                    .map(t -> new Wanted(t.name(), Uuid.ZERO_UUID, t.partitionIndexes())).toList();
            return fetchGroup(asker, req.groupId(), null, -1, wanted, image, false, req.requireStable())
                    .thenApply(g -> {
                OffsetFetchResponseData r = new OffsetFetchResponseData().setErrorCode(g.errorCode());
                if (version < 2 && g.errorCode() != 0 && wanted != null) {
                    // v1 has no top-level error: every requested partition carries the group's error
                    for (Wanted w : wanted) {
                        OffsetFetchResponseData.OffsetFetchResponseTopic rt = new OffsetFetchResponseData
                                .OffsetFetchResponseTopic().setName(w.name());
                        w.partitions().forEach(p -> rt.partitions().add(new OffsetFetchResponseData
                                .OffsetFetchResponsePartition().setPartitionIndex(p).setCommittedOffset(-1)
                                .setCommittedLeaderEpoch(-1).setMetadata("").setErrorCode(g.errorCode())));
                        r.topics().add(rt);
                    }
                    return r;
                }
                for (OffsetFetchResponseData.OffsetFetchResponseTopics t : g.topics()) {
                    OffsetFetchResponseData.OffsetFetchResponseTopic rt = new OffsetFetchResponseData
                            .OffsetFetchResponseTopic().setName(t.name());
                    t.partitions().forEach(p -> rt.partitions().add(new OffsetFetchResponseData
                            .OffsetFetchResponsePartition().setPartitionIndex(p.partitionIndex())
                            .setCommittedOffset(p.committedOffset()).setCommittedLeaderEpoch(p.committedLeaderEpoch())
                            .setMetadata(p.metadata()).setErrorCode(p.errorCode())));
                    r.topics().add(rt);
                }
                return r;
            });
        }
        List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> groups = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : req.groups()) {
            List<Wanted> wanted = g.topics() == null ? null : g.topics().stream().map(t -> {
                if (version >= 10) {
                    Optional<TopicImage> topic = image.topic(ReplicaManager.fromKafka(t.topicId()));
                    return new Wanted(topic.map(TopicImage::name).orElse(null), t.topicId(), t.partitionIndexes());
                }
                return new Wanted(t.name(), Uuid.ZERO_UUID, t.partitionIndexes());
            }).toList();
            groups.add(fetchGroup(asker, g.groupId(), g.memberId(), g.memberEpoch(), wanted, image, version >= 10,
                    req.requireStable()));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(v ->
                new OffsetFetchResponseData().setGroups(groups.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchGroup(Asker asker,
            String groupId, String memberId, int memberEpoch, List<Wanted> wanted, ClusterImage image, boolean ids,
            boolean requireStable) {
        if (!asker.mayDescribe(ResourceType.GROUP, groupId)) {
            return CompletableFuture.completedFuture(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        Map<String, Boolean> describable = new HashMap<>();
        List<TopicPartition> partitions = null;
        if (wanted != null) {
            partitions = new ArrayList<>();
            for (Wanted w : wanted) {
                if (w.name() != null && describable.computeIfAbsent(w.name(),
                        n -> asker.mayDescribe(ResourceType.TOPIC, n))) {
                    for (int p : w.partitions()) {
                        partitions.add(new TopicPartition(w.name(), p));
                    }
                }
            }
        }
        List<TopicPartition> asked = partitions;
        return coordinator.onShard(groupId, h -> CompletableFuture.completedFuture(
                        h.offsets().fetch(groupId, memberId, memberEpoch, asked, requireStable)))
                .handle((fetched, e) -> {
                    OffsetFetchResponseData.OffsetFetchResponseGroup g = new OffsetFetchResponseData
                            .OffsetFetchResponseGroup().setGroupId(groupId);
                    if (e != null) {
                        return g.setErrorCode(CoordinatorErrors.toError(e).code());
                    }
                    Map<TopicPartition, CommittedOffset> offsets = fetched.offsets();
                    Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
                    if (wanted == null) {
                        offsets.forEach((tp, o) -> {
                            if (shown(asker, describable, image, tp.topic(), ids)) {
                                topic(topics, tp.topic(), topicId(image, tp.topic(), ids))
                                        .partitions().add(partition(tp.partition(), o));
                            }
                        });
                        fetched.unstable().forEach(tp -> {
                            if (shown(asker, describable, image, tp.topic(), ids)) {
                                topic(topics, tp.topic(), topicId(image, tp.topic(), ids)).partitions()
                                        .add(partition(tp.partition(), null)
                                                .setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code()));
                            }
                        });
                    } else {
                        for (Wanted w : wanted) {
                            OffsetFetchResponseData.OffsetFetchResponseTopics t = topic(topics,
                                    w.name() == null ? "" : w.name(), w.id());
                            for (int p : w.partitions()) {
                                OffsetFetchResponseData.OffsetFetchResponsePartitions rp = partition(p,
                                        w.name() == null ? null : offsets.get(new TopicPartition(w.name(), p)));
                                if (w.name() == null) {
                                    rp.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                                } else if (!describable.get(w.name())) {
                                    rp.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                                } else if (fetched.unstable().contains(new TopicPartition(w.name(), p))) {
                                    rp.setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
                                }
                                t.partitions().add(rp);
                            }
                        }
                    }
                    return g.setErrorCode(Errors.NONE.code()).setTopics(new ArrayList<>(topics.values()));
                });
    }

    /**
     * Whether a topic of an all-partitions fetch is in the answer: the asker may describe it and, with topic ids, it
     * still exists (Kafka's {@code fetchAllOffsetsForGroup}).
     */
    private static boolean shown(Asker asker, Map<String, Boolean> describable, ClusterImage image, String topic,
                                 boolean ids) {
        return describable.computeIfAbsent(topic, n -> asker.mayDescribe(ResourceType.TOPIC, n))
                && (!ids || image.topic(topic).isPresent());
    }

    private static Uuid topicId(ClusterImage image, String topic, boolean ids) {
        return ids ? image.topic(topic).map(t -> ReplicaManager.toKafka(t.topicId())).orElse(Uuid.ZERO_UUID)
                : Uuid.ZERO_UUID;
    }

    private static OffsetFetchResponseData.OffsetFetchResponseTopics topic(
            Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> topics, String name, Uuid id) {
        return topics.computeIfAbsent(name + "|" + id, k -> new OffsetFetchResponseData.OffsetFetchResponseTopics()
                .setName(name).setTopicId(id));
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(int p, CommittedOffset o) {
        return new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(p)
                .setCommittedOffset(o == null ? -1 : o.offset()).setCommittedLeaderEpoch(o == null ? -1
                        : o.leaderEpoch()).setMetadata(o == null ? "" : o.metadata())
                .setErrorCode(Errors.NONE.code());
    }
}
