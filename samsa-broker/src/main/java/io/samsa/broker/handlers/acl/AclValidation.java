package io.samsa.broker.handlers.acl;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.Acls;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.protocol.RequestContext;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * Kafka's checks of ACLs to create and of ACL filters ({@code AclApis} and {@code AclControlManager}); each returns
 * the INVALID_REQUEST message, or null when valid. Stateless.
 */
final class AclValidation {
    /** Kafka's answer when no authorizer is configured. */
    static final String NO_AUTHORIZER = "No Authorizer is configured.";

    /**
     * Why CreateAcls / DeleteAcls is refused as a whole, or null: CLUSTER_AUTHORIZATION_FAILED without ALTER on the
     * cluster (checked first, as Kafka), SECURITY_DISABLED without an authorizer.
     */
    static ApiError alterRefusal(BrokerContext ctx, RequestContext context) {
        if (!ctx.authorizer().authorize(context, AclOperation.ALTER, ResourceType.CLUSTER,
                AuthorizedOperations.CLUSTER_NAME)) {
            return new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED, Acls.clusterRefusal(context, AclOperation.ALTER));
        }
        return ctx.authorizer().enabled() ? null : new ApiError(Errors.SECURITY_DISABLED, NO_AUTHORIZER);
    }

    private AclValidation() {
    }

    /** Why {@code acl} cannot be stored, or null. */
    static String invalidAcl(AclBinding acl) {
        ResourceType type = acl.pattern().resourceType();
        if (type == ResourceType.ANY || type == ResourceType.UNKNOWN) {
            return "Invalid resourceType " + type;
        }
        PatternType pattern = acl.pattern().patternType();
        if (pattern != PatternType.LITERAL && pattern != PatternType.PREFIXED) {
            return "Invalid patternType " + pattern;
        }
        AclOperation op = acl.entry().operation();
        if (op == AclOperation.ANY || op == AclOperation.UNKNOWN) {
            return "Invalid operation " + op;
        }
        AclPermissionType permission = acl.entry().permissionType();
        if (permission == AclPermissionType.ANY || permission == AclPermissionType.UNKNOWN) {
            return "Invalid permissionType " + permission;
        }
        String name = acl.pattern().name();
        if (name == null || name.isEmpty()) {
            return "Invalid empty resource name";
        }
        if (type == ResourceType.CLUSTER && !AuthorizedOperations.CLUSTER_NAME.equals(name)) {
            return "The only valid name for the CLUSTER resource is " + AuthorizedOperations.CLUSTER_NAME;
        }
        if (acl.entry().host() == null || acl.entry().host().isEmpty()) {
            return "Invalid empty host";
        }
        String principal = acl.entry().principal();
        if (principal == null || principal.indexOf(':') < 0) { // Kafka's AclControlManager wording
            return "Could not parse principal from `" + principal + "` (no colon is present separating the "
                    + "principal type from the principal name)";
        }
        try {
            SecurityUtils.parseKafkaPrincipal(principal);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** Why {@code filter} cannot be used, or null (Kafka refuses UNKNOWN elements). */
    static String invalidFilter(AclBindingFilter filter) {
        if (filter.patternFilter().resourceType() == ResourceType.UNKNOWN) {
            return "Unknown resourceType.";
        }
        if (filter.patternFilter().patternType() == PatternType.UNKNOWN) {
            return "Unknown patternFilter.";
        }
        if (filter.entryFilter().operation() == AclOperation.UNKNOWN) {
            return "Unknown operation type.";
        }
        if (filter.entryFilter().permissionType() == AclPermissionType.UNKNOWN) {
            return "Unknown permission type.";
        }
        return null;
    }
}
