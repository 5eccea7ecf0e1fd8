package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * IncrementalAlterConfigs (API 44, v0-1; KIP-339): SET, DELETE, APPEND and SUBTRACT (LIST keys only) on the dynamic
 * configs of topics, of this broker (resource name = its node id) and of the cluster-wide broker default (name
 * {@code ""}), with {@code validate_only}. Each resource is validated as a whole and committed as one atomic
 * metadata batch; an invalid resource changes nothing and gets Kafka's error and message (see
 * {@link ConfigAlterations}). A resource named twice in one request → INVALID_REQUEST for both ("Each resource must
 * appear at most once."); a key named twice → INVALID_REQUEST. The changed settings reach the partition logs as soon
 * as the new image is applied.
 *
 * <p>Non-blocking: completes when the quorum has applied (or refused) every resource.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {
    private final BrokerContext ctx;
    private final ConfigAlterations alterations;

    public IncrementalAlterConfigsHandler(BrokerContext ctx, DynamicBrokerConfigs dynamic) {
        this.ctx = ctx;
        this.alterations = new ConfigAlterations(ctx, dynamic);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponseData> handle(RequestContext context,
                                                                         IncrementalAlterConfigsRequestData request) {
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
                IncrementalAlterConfigsHandler::apply, ctx.image(), request.validateOnly()).thenApply(errors -> {
            var response = new IncrementalAlterConfigsResponseData();
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

    /** The resource's dynamic configs after the request's operations, in order. */
    private static Map<String, String> apply(ConfigResource resource, AlterConfigsResource r, ClusterImage image) {
        List<String> names = new ArrayList<>();
        List<String> withoutValue = new ArrayList<>();
        for (AlterableConfig c : r.configs()) {
            names.add(c.name());
            if (c.configOperation() != AlterConfigOp.OpType.DELETE.id() && c.value() == null) {
                withoutValue.add(c.name());
            }
        }
        ConfigAlterations.checkKeys(names, withoutValue);
        Map<String, String> props = ConfigAlterations.copy(image.configs(resource));
        for (AlterableConfig c : r.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(c.configOperation());
            if (op == null) {
                throw new InvalidRequestException("Unknown operations type " + c.configOperation());
            }
            switch (op) {
                case SET -> props.put(c.name(), c.value());
                case DELETE -> props.remove(c.name());
                case APPEND, SUBTRACT -> props.put(c.name(), ConfigAlterations.appendOrSubtract(resource, props,
                        c.name(), c.value(), op == AlterConfigOp.OpType.APPEND));
            }
        }
        return props;
    }
}
