package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata (API 3, v0-13): brokers, cluster id, controller id, and topics with their stable ids (v10+) and
 * partitions. Topics named but missing are auto-created when the request allows it (v4+
 * {@code AllowAutoTopicCreation}) and {@code auto.create.topics.enable} is on; the response waits (up to 5 s) for the
 * creation to commit, so clients see the new topic at once.
 *
 * <p>With an authorizer (Kafka's checks): only the topics the principal may DESCRIBE are listed; a named topic it may
 * not describe gets TOPIC_AUTHORIZATION_FAILED, existing or not; auto-creation needs CREATE on the cluster or the
 * topic; topic (v8+) and cluster (v8-10) authorized operations are filled in when asked for (KIP-430).
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {
    private static final long AUTO_CREATE_WAIT_MS = 5_000;
    private final BrokerContext ctx;

    public MetadataHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
        short version = context.apiVersion();
        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        boolean allowAutoCreate = version < 4 || request.allowAutoTopicCreation();
        // ACLs (Kafka's KafkaApis): a named topic needs DESCRIBE (else TOPIC_AUTHORIZATION_FAILED, whether it exists
        // or not); its auto-creation needs CREATE on the cluster or on the topic (else TOPIC_AUTHORIZATION_FAILED)
        Set<String> refused = new HashSet<>();
        List<CompletableFuture<?>> creations = new ArrayList<>();
        if (!allTopics) {
            ClusterImage image = ctx.image();
            Boolean clusterCreate = null;
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                if (t.name() == null || (t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId()))) {
                    continue; // by id: checked once resolved
                }
                if (!Acls.topic(ctx, context, AclOperation.DESCRIBE, t.name())) {
                    refused.add(t.name());
                    continue;
                }
                if (image.topic(t.name()).isEmpty() && allowAutoCreate && ctx.topics().mayAutoCreate(t.name())) {
                    clusterCreate = clusterCreate != null ? clusterCreate
                            : Acls.clusterQuietly(ctx, context, AclOperation.CREATE);
                    if (!clusterCreate && !Acls.topic(ctx, context, AclOperation.CREATE, t.name())) {
                        refused.add(t.name());
                        continue;
                    }
                    creations.add(ctx.topics().autoCreate(t.name()).exceptionally(e -> null));
                }
            }
        }
        CompletableFuture<Void> created = CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, AUTO_CREATE_WAIT_MS, TimeUnit.MILLISECONDS);
        return created.thenApply(v -> build(context, request, allTopics, allowAutoCreate, refused));
    }

    private MetadataResponseData build(RequestContext context, MetadataRequestData request, boolean allTopics,
                                       boolean allowAutoCreate, Set<String> refused) {
        ClusterImage image = ctx.image();
        short version = context.apiVersion();
        boolean topicOps = version >= 8 && request.includeTopicAuthorizedOperations();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(ControllerIds.forClients(image, ctx.nodeId()))
                .setClusterAuthorizedOperations(version >= 8 && version <= 10
                        && request.includeClusterAuthorizedOperations()
                        ? ctx.authorizer().authorizedOperations(context, ResourceType.CLUSTER,
                                AuthorizedOperations.CLUSTER_NAME) : Integer.MIN_VALUE);
        addBrokers(image, context.listenerName(), response);
        if (allTopics) { // only the topics the principal may describe, silently
            for (TopicImage topic : image.topics().values()) {
                if (Acls.topicQuietly(ctx, context, AclOperation.DESCRIBE, topic.name())) {
                    response.topics().add(topic(image, topic));
                }
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                if (t.name() != null && refused.contains(t.name())
                        && (t.topicId() == null || Uuid.ZERO_UUID.equals(t.topicId()))) {
                    response.topics().add(new MetadataResponseTopic().setName(t.name())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setIsInternal(Topic.isInternal(t.name())));
                } else {
                    response.topics().add(requestedTopic(context, image, t, allowAutoCreate));
                }
            }
        }
        if (topicOps) {
            for (MetadataResponseTopic t : response.topics()) {
                if (t.errorCode() == Errors.NONE.code() || t.errorCode() == Errors.LEADER_NOT_AVAILABLE.code()) {
                    t.setTopicAuthorizedOperations(ctx.authorizer().authorizedOperations(context, ResourceType.TOPIC,
                            t.name()));
                }
            }
        }
        return response;
    }

    private void addBrokers(ClusterImage image, String listener, MetadataResponseData response) {
        boolean self = false;
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced()) {
                continue;
            }
            List<BrokerRegistration.Endpoint> endpoints = b.nodeId() == ctx.nodeId() ? ctx.endpoints().get() : b.endpoints();
            BrokerRegistration.Endpoint ep = pick(endpoints, listener);
            if (ep != null) {
                response.brokers().add(new MetadataResponseBroker().setNodeId(b.nodeId()).setHost(ep.host())
                        .setPort(ep.port()).setRack(b.rack()));
                self |= b.nodeId() == ctx.nodeId();
            }
        }
        if (!self) { // not registered yet (start-up): still advertise ourselves so clients can proceed
            BrokerRegistration.Endpoint ep = pick(ctx.endpoints().get(), listener);
            if (ep != null) {
                response.brokers().add(new MetadataResponseBroker().setNodeId(ctx.nodeId()).setHost(ep.host())
                        .setPort(ep.port()));
            }
        }
    }

    static BrokerRegistration.Endpoint pick(List<BrokerRegistration.Endpoint> endpoints, String listener) {
        for (BrokerRegistration.Endpoint ep : endpoints) {
            if (ep.listener().equals(listener)) {
                return ep;
            }
        }
        return endpoints.isEmpty() ? null : endpoints.get(0);
    }

    private MetadataResponseTopic requestedTopic(RequestContext context, ClusterImage image,
                                                 MetadataRequestData.MetadataRequestTopic t, boolean allowAutoCreate) {
        Uuid id = t.topicId();
        if (id != null && !Uuid.ZERO_UUID.equals(id)) { // by id (v10+): the Java client sends name "" with it
            return image.topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()))
                    .map(topic -> Acls.topic(ctx, context, AclOperation.DESCRIBE, topic.name()) ? topic(image, topic)
                            // topic ids are not secret (Kafka): the id comes back, the name does not
                            : new MetadataResponseTopic().setTopicId(id).setName(null)
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()))
                    .orElseGet(() -> new MetadataResponseTopic().setTopicId(id).setName(null)
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        return image.topic(t.name()).map(topic -> topic(image, topic)).orElseGet(() -> {
            Errors error;
            if (!Topic.isValid(t.name())) {
                error = Errors.INVALID_TOPIC_EXCEPTION;
            } else if (allowAutoCreate && ctx.topics().mayAutoCreate(t.name())) {
                error = Errors.LEADER_NOT_AVAILABLE; // creation still in flight: the client retries
            } else {
                error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            return new MetadataResponseTopic().setName(t.name()).setErrorCode(error.code());
        });
    }

    /** Replicas on brokers that are not registered or are fenced (Kafka's KRaft metadata cache). */
    private static List<Integer> offline(ClusterImage image, List<Integer> replicas) {
        List<Integer> out = new ArrayList<>();
        for (int r : replicas) {
            BrokerRegistration b = image.brokers().get(r);
            if (b == null || b.fenced()) {
                out.add(r);
            }
        }
        return out;
    }

    private MetadataResponseTopic topic(ClusterImage image, TopicImage topic) {
        MetadataResponseTopic out = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(ReplicaManager.toKafka(topic.topicId()))
                .setIsInternal(Topic.isInternal(topic.name()))
                .setTopicAuthorizedOperations(Integer.MIN_VALUE);
        for (PartitionImage p : topic.partitions()) {
            out.partitions().add(new MetadataResponsePartition()
                    .setPartitionIndex(p.partition())
                    .setErrorCode(p.leader() < 0 ? Errors.LEADER_NOT_AVAILABLE.code() : Errors.NONE.code())
                    .setLeaderId(p.leader())
                    .setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(p.replicas()))
                    .setIsrNodes(new ArrayList<>(p.isr()))
                    .setOfflineReplicas(offline(image, p.replicas())));
        }
        return out;
    }
}
