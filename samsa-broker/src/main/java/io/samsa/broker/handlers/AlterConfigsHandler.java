package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * AlterConfigs (API 33, v0-2; the legacy, non-incremental API, deprecated by KIP-339): the request's configs
 * <em>replace</em> the whole set of dynamic configs of each resource — keys not named are deleted — for topics,
 * this broker and the cluster default, with {@code validate_only}. Validation, errors and atomicity as
 * {@link IncrementalAlterConfigsHandler}; a null value → INVALID_REQUEST.
 *
 * <p>Non-blocking: completes when the quorum has applied (or refused) every resource.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {
    private final BrokerContext ctx;
    private final ConfigAlterations alterations;

    public AlterConfigsHandler(BrokerContext ctx, DynamicBrokerConfigs dynamic) {
        this.ctx = ctx;
        this.alterations = new ConfigAlterations(ctx, dynamic);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AlterConfigsResponseData> handle(RequestContext context, AlterConfigsRequestData request) {
        List<AlterConfigsResource> resources = new ArrayList<>(request.resources());
        // Kafka: ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or the cluster for brokers
        // (CLUSTER_AUTHORIZATION_FAILED), checked before anything is validated or changed
        List<Errors> refusals = new ArrayList<>();
        List<AlterConfigsResource> allowed = new ArrayList<>();
        for (AlterConfigsResource r : resources) {
            Errors refusal = Acls.configResourceRefusal(ctx, context, r.resourceType(), r.resourceName(),
                    AclOperation.ALTER_CONFIGS);
            refusals.add(refusal);
            if (refusal == null) {
                allowed.add(r);
            }
        }
        return alterations.alterEach(allowed, AlterConfigsResource::resourceType, AlterConfigsResource::resourceName,
                (resource, r, image) -> newProps(r), ctx.image(), request.validateOnly()).thenApply(errors -> {
            var response = new AlterConfigsResponseData();
            java.util.Iterator<ApiError> results = errors.iterator();
            for (int i = 0; i < resources.size(); i++) {
                AlterConfigsResource r = resources.get(i);
                ApiError error = refusals.get(i) != null ? new ApiError(refusals.get(i), refusals.get(i).message())
                        : results.next();
                response.responses().add(new AlterConfigsResourceResponse()
                        .setResourceType(r.resourceType()).setResourceName(r.resourceName())
                        .setErrorCode(error.error().code()).setErrorMessage(error.message()));
            }
            return response;
        });
    }

    private static Map<String, String> newProps(AlterConfigsResource r) {
        List<String> names = new ArrayList<>();
        List<String> withoutValue = new ArrayList<>();
        Map<String, String> props = new HashMap<>();
        for (AlterableConfig c : r.configs()) {
            names.add(c.name());
            if (c.value() == null) {
                withoutValue.add(c.name());
            } else {
                props.put(c.name(), c.value());
            }
        }
        ConfigAlterations.checkKeys(names, withoutValue);
        return props;
    }
}
