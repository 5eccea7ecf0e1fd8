package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs (API 32, v1-4; KIP-133, synonyms KIP-226, documentation and types KIP-569) for TOPIC and BROKER
 * resources, from the current metadata image (see {@link ConfigDescriber} for values, sources and synonyms).
 *
 * <p>Per resource errors, as Kafka: an illegal topic name → INVALID_TOPIC_EXCEPTION; an unknown topic →
 * UNKNOWN_TOPIC_OR_PARTITION; a broker name that is not an integer, or another broker's id → INVALID_REQUEST
 * ("Unexpected broker id, expected 1 or empty string, but received 2"); other resource types (GROUP,
 * BROKER_LOGGER, CLIENT_METRICS) → INVALID_REQUEST. An empty or null {@code ConfigurationKeys} means all keys.
 *
 * <p>Answers on the calling event loop (no I/O, no blocking).
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {
    private static final byte TOPIC = org.apache.kafka.common.config.ConfigResource.Type.TOPIC.id();
    private static final byte BROKER = org.apache.kafka.common.config.ConfigResource.Type.BROKER.id();

    private final BrokerContext ctx;
    private final DynamicBrokerConfigs dynamic;

    public DescribeConfigsHandler(BrokerContext ctx, DynamicBrokerConfigs dynamic) {
        this.ctx = ctx;
        this.dynamic = dynamic;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponseData> handle(RequestContext context,
                                                                 DescribeConfigsRequestData request) {
        ClusterImage image = ctx.image();
        var describer = new ConfigDescriber(dynamic, image, request.includeSynonyms(),
                request.includeDocumentation());
        var response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result;
            Errors refusal = Acls.configResourceRefusal(ctx, context, resource.resourceType(),
                    resource.resourceName(), AclOperation.DESCRIBE_CONFIGS);
            try {
                result = refusal != null ? error(refusal, refusal.message()) : describe(image, describer, resource);
            } catch (RuntimeException e) {
                result = error(ErrorMapper.toError(e), ErrorMapper.message(e));
            }
            response.results().add(result.setResourceName(resource.resourceName())
                    .setResourceType(resource.resourceType()));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeConfigsResult describe(ClusterImage image, ConfigDescriber describer,
                                           DescribeConfigsResource resource) {
        Predicate<String> wanted = wanted(resource.configurationKeys());
        String name = resource.resourceName();
        if (resource.resourceType() == TOPIC) {
            try {
                Topic.validate(name);
            } catch (InvalidTopicException e) {
                return error(Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
            }
            if (image.topic(name).isEmpty()) {
                return error(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
            return ok(describer.topic(image.configs(ConfigResource.topic(name)), wanted));
        }
        if (resource.resourceType() == BROKER) {
            if (name == null || name.isEmpty()) {
                return ok(describer.clusterDefault(wanted));
            }
            int id;
            try {
                id = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return error(Errors.INVALID_REQUEST, "Broker id must be an integer, but it is: " + name);
            }
            if (id != ctx.nodeId()) {
                return error(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + ctx.nodeId()
                        + " or empty string, but received " + name);
            }
            return ok(describer.broker(wanted));
        }
        return error(Errors.INVALID_REQUEST, "Unsupported resource type: "
                + org.apache.kafka.common.config.ConfigResource.Type.forId(resource.resourceType()));
    }

    private static Predicate<String> wanted(List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return key -> true;
        }
        Set<String> set = new HashSet<>(keys);
        return set::contains;
    }

    private static DescribeConfigsResult ok(List<DescribeConfigsResourceResult> configs) {
        return new DescribeConfigsResult().setErrorCode(Errors.NONE.code()).setConfigs(configs);
    }

    private static DescribeConfigsResult error(Errors error, String message) {
        return new DescribeConfigsResult().setErrorCode(error.code()).setErrorMessage(message)
                .setConfigs(new ArrayList<>());
    }
}
