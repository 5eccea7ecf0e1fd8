package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.protocol.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
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

    /** {@link #cluster} without logging a denial (when a topic-level grant may still allow the action). */
    public static boolean clusterQuietly(BrokerContext ctx, RequestContext context, AclOperation op) {
        return !ctx.authorizer().enabled() || ctx.authorizer().authorize(context, op, ResourceType.CLUSTER,
                AuthorizedOperations.CLUSTER_NAME, false);
    }
}
