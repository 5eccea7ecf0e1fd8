package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.ConfigException;
import io.samsa.broker.config.TopicConfigs;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics (API 19, v2-7), validate-only included. Names are checked as Kafka does (legal characters, length,
 * not "." or "..", no collision with an existing topic that differs only by '.' versus '_'); -1 partitions or
 * replication factor take {@code num.partitions}/{@code default.replication.factor}; topic configs are validated
 * with Kafka's names and ranges (INVALID_CONFIG). The controller assigns the topic id and replicas, or takes the
 * request's manual assignments ({@code kafka-topics --replica-assignment}; partition count and replication factor must
 * then be -1, else INVALID_REQUEST) with Kafka's INVALID_REPLICA_ASSIGNMENT checks.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {
    private final BrokerContext ctx;

    public CreateTopicsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<CreateTopicsResponseData> handle(RequestContext context, CreateTopicsRequestData request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        }
        List<CompletableFuture<CreatableTopicResult>> results = new ArrayList<>();
        // Kafka: CREATE on the cluster, else on each topic; the created topic's configs need DESCRIBE_CONFIGS
        boolean clusterCreate = Acls.clusterQuietly(ctx, context, AclOperation.CREATE);
        for (CreatableTopic t : request.topics()) {
            if (duplicates.contains(t.name())) {
                results.add(CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REQUEST,
                        "Create topics request from client `" + context.clientId()
                                + "` contains multiple entries for the following topics: " + t.name())));
            } else if (!clusterCreate && !Acls.topic(ctx, context, AclOperation.CREATE, t.name())) {
                results.add(CompletableFuture.completedFuture(result(t.name(), Errors.TOPIC_AUTHORIZATION_FAILED,
                        "Authorization failed.")));
            } else {
                results.add(create(t, request.validateOnly()).thenApply(r ->
                        r.errorCode() != Errors.NONE.code()
                                || Acls.topicQuietly(ctx, context, AclOperation.DESCRIBE_CONFIGS, t.name()) ? r
                                : r.setNumPartitions(-1).setReplicationFactor((short) -1).setConfigs(new ArrayList<>())
                                        .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            CreateTopicsResponseData response = new CreateTopicsResponseData();
            for (CompletableFuture<CreatableTopicResult> r : results) {
                response.topics().add(r.join());
            }
            return response;
        });
    }

    private CompletableFuture<CreatableTopicResult> create(CreatableTopic t, boolean validateOnly) {
        try {
            Topic.validate(t.name());
        } catch (InvalidTopicException e) {
            return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_TOPIC_EXCEPTION, e.getMessage()));
        }
        ClusterImage image = ctx.image();
        if (image.topic(t.name()).isEmpty() && Topic.hasCollisionChars(t.name())) {
            for (String existing : image.topics().keySet()) {
                if (Topic.hasCollision(t.name(), existing)) {
                    return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_TOPIC_EXCEPTION,
                            "Topic '" + t.name() + "' collides with existing topic: " + existing));
                }
            }
        }
        if (!t.assignments().isEmpty() && t.replicationFactor() != -1) {
            return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but replication factor was not set to -1."));
        }
        if (!t.assignments().isEmpty() && t.numPartitions() != -1) {
            return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but numPartitions was not set to -1."));
        }
        Map<String, String> configs = new HashMap<>();
        for (CreatableTopicConfig c : t.configs()) {
            configs.put(c.name(), c.value());
        }
        try {
            TopicConfigs.validate(configs);
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_CONFIG, e.getMessage()));
        }
        if (!t.assignments().isEmpty()) {
            Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
            for (CreatableReplicaAssignment a : t.assignments()) {
                assignments.put(a.partitionIndex(), List.copyOf(a.brokerIds()));
            }
            return answer(t, configs, ctx.quorum().createTopic(t.name(), assignments, configs, validateOnly));
        }
        int partitions = t.numPartitions() == -1 ? ctx.config().numPartitions() : t.numPartitions();
        short replication = t.replicationFactor() == -1 ? ctx.config().defaultReplicationFactor() : t.replicationFactor();
        if (partitions <= 0) {
            return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_PARTITIONS,
                    "Number of partitions was set to an invalid non-positive value."));
        }
        if (replication <= 0) {
            return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value."));
        }
        return answer(t, configs, ctx.quorum().createTopic(t.name(), partitions, replication, configs, validateOnly));
    }

    private static CompletableFuture<CreatableTopicResult> answer(CreatableTopic t, Map<String, String> configs,
            CompletableFuture<TopicImage> created) {
        return created.handle((topic, error) -> {
            if (error != null) {
                return result(t.name(), ErrorMapper.toError(error), ErrorMapper.message(error));
            }
            return new CreatableTopicResult().setName(t.name())
                    .setTopicId(ReplicaManager.toKafka(topic.topicId()))
                    .setErrorCode(Errors.NONE.code())
                    .setNumPartitions(topic.partitions().size())
                    .setReplicationFactor((short) topic.partitions().get(0).replicas().size())
                    .setConfigs(configsOf(configs));
        });
    }

    private static List<CreateTopicsResponseData.CreatableTopicConfigs> configsOf(Map<String, String> configs) {
        List<CreateTopicsResponseData.CreatableTopicConfigs> out = new ArrayList<>();
        configs.forEach((k, v) -> out.add(new CreateTopicsResponseData.CreatableTopicConfigs().setName(k).setValue(v)
                .setReadOnly(false).setConfigSource((byte) 1).setIsSensitive(false)));
        return out;
    }

    private static CreatableTopicResult result(String name, Errors error, String message) {
        return new CreatableTopicResult().setName(name).setErrorCode(error.code()).setErrorMessage(message)
                .setNumPartitions(-1).setReplicationFactor((short) -1);
    }
}
