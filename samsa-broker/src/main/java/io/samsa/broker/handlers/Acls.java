package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.protocol.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL checks handlers make, in the shape of Kafka's {@code AuthHelper}: true when no authorizer is configured.
 * A denial is logged by the authorizer (Kafka's audit log line). Stateless.
 */
public final class Acls {
    private Acls() {
    }

    /** Whether the request's principal may perform {@code op} on topic {@code name}. */
    public static boolean topic(BrokerContext ctx, RequestContext context, AclOperation op, String name) {
        return !ctx.authorizer().enabled()
                || ctx.authorizer().authorize(context, op, ResourceType.TOPIC, name);
    }

    /** {@link #topic} without logging a denial (filters such as Metadata for all topics). */
    public static boolean topicQuietly(BrokerContext ctx, RequestContext context, AclOperation op, String name) {
        return !ctx.authorizer().enabled()
                || ctx.authorizer().authorize(context, op, ResourceType.TOPIC, name, false);
    }

    /** Whether the request's principal may perform {@code op} on the cluster ({@code kafka-cluster}). */
    public static boolean cluster(BrokerContext ctx, RequestContext context, AclOperation op) {
        return !ctx.authorizer().enabled() || ctx.authorizer().authorize(context, op, ResourceType.CLUSTER,
                AuthorizedOperations.CLUSTER_NAME);
    }

    /**
     * Kafka's {@code AuthHelper.authorizeClusterOperation}: throws when the principal may not perform {@code op} on
     * the cluster; the dispatcher answers with the API's error response (CLUSTER_AUTHORIZATION_FAILED).
     */
    public static void requireCluster(BrokerContext ctx, RequestContext context, AclOperation op) {
        if (!cluster(ctx, context, op)) {
            throw new ClusterAuthorizationException("Request " + context.apiKey().name + " v" + context.apiVersion()
                    + " from " + context.principal() + " is not authorized.");
        }
    }

    /** {@link #cluster} without logging a denial (when a topic-level grant may still allow the action). */
    public static boolean clusterQuietly(BrokerContext ctx, RequestContext context, AclOperation op) {
        return !ctx.authorizer().enabled() || ctx.authorizer().authorize(context, op, ResourceType.CLUSTER,
                AuthorizedOperations.CLUSTER_NAME, false);
    }

    /**
     * Kafka's check of a config resource (DescribeConfigs with DESCRIBE_CONFIGS, AlterConfigs and
     * IncrementalAlterConfigs with ALTER_CONFIGS): a topic on the topic, a group on the group, brokers, broker loggers
     * and client metrics on the cluster.
     *
     * @return the refusal (TOPIC_/GROUP_/CLUSTER_AUTHORIZATION_FAILED), or null when allowed or the type is unknown
     */
    public static Errors configResourceRefusal(BrokerContext ctx, RequestContext context, byte resourceType,
                                               String name, AclOperation op) {
        if (!ctx.authorizer().enabled()) {
            return null;
        }
        return switch (ConfigResource.Type.forId(resourceType)) {
            case TOPIC -> ctx.authorizer().authorize(context, op, ResourceType.TOPIC, name)
                    ? null : Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP -> ctx.authorizer().authorize(context, op, ResourceType.GROUP, name)
                    ? null : Errors.GROUP_AUTHORIZATION_FAILED;
            case BROKER, BROKER_LOGGER, CLIENT_METRICS -> cluster(ctx, context, op)
                    ? null : Errors.CLUSTER_AUTHORIZATION_FAILED;
            default -> null;
        };
    }
}
