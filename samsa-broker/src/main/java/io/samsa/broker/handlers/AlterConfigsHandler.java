package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
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
        ClusterImage image = ctx.image();
        Map<String, Integer> seen = new HashMap<>();
        for (AlterConfigsResource r : request.resources()) {
            seen.merge(r.resourceType() + "/" + r.resourceName(), 1, Integer::sum);
        }
        List<AlterConfigsResource> resources = new ArrayList<>(request.resources());
        List<CompletableFuture<ApiError>> outcomes = new ArrayList<>();
        for (AlterConfigsResource r : resources) {
            if (seen.get(r.resourceType() + "/" + r.resourceName()) > 1) {
                outcomes.add(CompletableFuture.completedFuture(new ApiError(Errors.INVALID_REQUEST,
                        "Each resource must appear at most once.")));
                continue;
            }
            try {
                ConfigResource resource = alterations.resolve(r.resourceType(), r.resourceName(), image);
                outcomes.add(alterations.replace(resource, newProps(r), image, request.validateOnly()));
            } catch (RuntimeException e) {
                outcomes.add(CompletableFuture.completedFuture(
                        new ApiError(ErrorMapper.toError(e), ErrorMapper.message(e))));
            }
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            var response = new AlterConfigsResponseData();
            for (int i = 0; i < outcomes.size(); i++) {
                AlterConfigsResource r = resources.get(i);
                ApiError error = outcomes.get(i).join();
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
