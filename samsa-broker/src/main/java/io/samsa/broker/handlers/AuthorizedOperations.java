package io.samsa.broker.handlers;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.protocol.RequestContext;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * KIP-430's {@code AuthorizedOperations} bit field: bit {@code 1 << AclOperation.code()} is set for each operation the
 * principal may perform on the resource, among the operations Kafka supports for its type (Kafka's
 * {@code AclEntry.supportedOperations} and {@code AuthHelper.authorizedOperations}). Without an authorizer every
 * supported operation is set.
 *
 * <p>Stateless and thread-safe.
 */
public final class AuthorizedOperations {
    private AuthorizedOperations() {
    }

    /** The operations Kafka 4.3 supports on {@code type} (empty for types without ACLs of their own). */
    public static Set<AclOperation> supported(ResourceType type) {
        return switch (type) {
            case TOPIC -> EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                    AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS);
            case GROUP -> EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case CLUSTER -> EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
                    AclOperation.ALTER, AclOperation.DESCRIBE);
            case TRANSACTIONAL_ID -> EnumSet.of(AclOperation.DESCRIBE, AclOperation.WRITE,
                    AclOperation.TWO_PHASE_COMMIT);
            case DELEGATION_TOKEN -> EnumSet.of(AclOperation.DESCRIBE);
            case USER -> EnumSet.of(AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS);
            default -> EnumSet.noneOf(AclOperation.class);
        };
    }

    /** The bit field of the supported operations on {@code type}/{@code name} that {@code context} may perform. */
    public static int of(RequestAuthorizer authorizer, RequestContext context, ResourceType type, String name) {
        int bits = 0;
        for (AclOperation op : supported(type)) {
            if (authorizer.authorize(context, op, type, name)) {
                bits |= 1 << op.code();
            }
        }
        return bits;
    }
}
