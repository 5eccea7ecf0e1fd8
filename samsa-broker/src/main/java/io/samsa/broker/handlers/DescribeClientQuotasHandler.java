package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.quota.QuotaDescriber;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeClientQuotas (API 48, v0-1, KIP-546): the configured client quotas matching the request's filter
 * ({@link QuotaDescriber}), from this broker's metadata image. Needs DESCRIBE_CONFIGS on the cluster, else the whole
 * response is CLUSTER_AUTHORIZATION_FAILED; a malformed filter is INVALID_REQUEST, an unknown entity type
 * UNSUPPORTED_VERSION (Kafka's). Answers on the event loop (an in-memory read).
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequestData> {
    private static final Logger LOGGER = LoggerFactory.getLogger(DescribeClientQuotasHandler.class);
    private final BrokerContext ctx;

    public DescribeClientQuotasHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<DescribeClientQuotasResponseData> handle(RequestContext context,
                                                                      DescribeClientQuotasRequestData request) {
        if (!ctx.authorizer().authorize(context, AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER,
                Resource.CLUSTER_NAME)) {
            LOGGER.info("Refused DescribeClientQuotas principal={} address={}: no DESCRIBE_CONFIGS on the cluster",
                    context.principal(), context.clientAddress());
            return CompletableFuture.failedFuture(
                    new ClusterAuthorizationException(Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        return CompletableFuture.completedFuture(QuotaDescriber.describe(ctx.image().security().quotas(), request));
    }
}
