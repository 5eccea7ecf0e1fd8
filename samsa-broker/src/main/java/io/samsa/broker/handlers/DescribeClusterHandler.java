package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeCluster (API 60, v0-2, KIP-700): cluster id, controller id and the registered brokers (fenced ones only
 * when asked, v2). Only the broker endpoint type (1) is served; a request for controllers gets UNSUPPORTED_ENDPOINT_TYPE.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {
    private static final byte BROKERS = 1;
    private final BrokerContext ctx;

    public DescribeClusterHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    /**
     * Kafka's {@code handleDescribeCluster}: the API itself needs no ACL; the authorized operations, when asked for,
     * are those of the cluster for a principal with DESCRIBE on it, else 0.
     */
    private int clusterAuthorizedOperations(RequestContext context, DescribeClusterRequestData request) {
        if (!request.includeClusterAuthorizedOperations()) {
            return Integer.MIN_VALUE;
        }
        return Acls.cluster(ctx, context, AclOperation.DESCRIBE) ? ctx.authorizer().authorizedOperations(context,
                ResourceType.CLUSTER, AuthorizedOperations.CLUSTER_NAME) : 0;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                 DescribeClusterRequestData request) {
        ClusterImage image = ctx.image();
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(ControllerIds.forClients(image, ctx.nodeId()))
                .setEndpointType(BROKERS)
                .setClusterAuthorizedOperations(clusterAuthorizedOperations(context, request));
        if (context.apiVersion() >= 1 && request.endpointType() != BROKERS) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Samsa serves the broker endpoint type (1) only"));
        }
        boolean self = false;
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced() && !request.includeFencedBrokers()) {
                continue;
            }
            BrokerRegistration.Endpoint ep = MetadataHandler.pick(
                    b.nodeId() == ctx.nodeId() ? ctx.endpoints().get() : b.endpoints(), context.listenerName());
            if (ep != null) {
                response.brokers().add(new DescribeClusterBroker().setBrokerId(b.nodeId()).setHost(ep.host())
                        .setPort(ep.port()).setRack(b.rack()).setIsFenced(b.fenced()));
                self |= b.nodeId() == ctx.nodeId();
            }
        }
        if (!self) {
            BrokerRegistration.Endpoint ep = MetadataHandler.pick(ctx.endpoints().get(), context.listenerName());
            if (ep != null) {
                response.brokers().add(new DescribeClusterBroker().setBrokerId(ctx.nodeId()).setHost(ep.host())
                        .setPort(ep.port()));
            }
        }
        return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()));
    }
}
