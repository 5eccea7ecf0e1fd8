package io.samsa.broker.security;

import io.samsa.protocol.RequestContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Decides whether the principal of a request may perform an operation on a resource, with Kafka's ACL model
 * (KIP-11; the checks each API makes are Kafka's {@code KafkaApis}'). Handlers call it before doing anything;
 * a refusal becomes TOPIC_/GROUP_/CLUSTER_/TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 *
 * <p>Thread-safe; called on Netty event loops, so implementations must not block.
 */
public interface RequestAuthorizer {

    /** No authorizer configured ({@code authorizer.class.name} empty): everything is allowed. */
    RequestAuthorizer ALLOW_ALL = new RequestAuthorizer() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean authorize(RequestContext context, AclOperation operation, ResourceType resourceType,
                                 String resourceName) {
            return true;
        }

        @Override
        public boolean authorizeByResourceType(RequestContext context, AclOperation operation,
                                               ResourceType resourceType) {
            return true;
        }
    };

    /** False when no authorizer is configured (CreateAcls and friends then answer SECURITY_DISABLED). */
    boolean enabled();

    /**
     * Whether {@code context.principal()} from {@code context.clientAddress()} may perform {@code operation} on the
     * resource {@code resourceType}/{@code resourceName} (the cluster's name is {@code "kafka-cluster"}).
     */
    boolean authorize(RequestContext context, AclOperation operation, ResourceType resourceType, String resourceName);

    /**
     * {@link #authorize(RequestContext, AclOperation, ResourceType, String)} that logs a refusal only when
     * {@code logIfDenied} (Kafka's {@code Action.logIfDenied}: false when the check only filters what is shown, e.g.
     * Metadata for all topics or the authorized-operations bit fields).
     */
    default boolean authorize(RequestContext context, AclOperation operation, ResourceType resourceType,
                              String resourceName, boolean logIfDenied) {
        return authorize(context, operation, resourceType, resourceName);
    }

    /**
     * Kafka's authorized-operations bit field (Metadata, DescribeCluster, DescribeGroups): bit {@code code} set for each
     * operation of {@link AuthorizedOperations#supported(ResourceType)} the principal may perform on the resource;
     * denials are not logged.
     */
    default int authorizedOperations(RequestContext context, ResourceType resourceType, String resourceName) {
        return AuthorizedOperations.of(this, context, resourceType, resourceName);
    }

    /**
     * KIP-679's {@code authorizeByResourceType}: whether the principal may perform {@code operation} on at least one
     * resource of {@code resourceType} (used for idempotent producers without IDEMPOTENT_WRITE on the cluster).
     */
    boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType resourceType);
}
