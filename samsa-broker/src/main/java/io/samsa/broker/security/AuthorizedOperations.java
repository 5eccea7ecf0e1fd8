package io.samsa.broker.security;

import io.samsa.protocol.RequestContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;

/**
 * The operations each resource type supports (Kafka's {@code AclEntry.supportedOperations}) and the
 * authorized-operations bit fields of Metadata (KIP-430), DescribeCluster and DescribeGroups. Stateless.
 */
public final class AuthorizedOperations {
    /** The cluster resource's name in ACLs and checks. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private AuthorizedOperations() {
    }

    /** The operations ACLs may grant on {@code type}, as Kafka's {@code AclEntry.supportedOperations}. */
    public static List<AclOperation> supported(ResourceType type) {
        return switch (type) {
            case TOPIC -> List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case GROUP -> List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case CLUSTER -> List.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);
            case TRANSACTIONAL_ID -> List.of(AclOperation.DESCRIBE, AclOperation.WRITE, AclOperation.TWO_PHASE_COMMIT);
            case DELEGATION_TOKEN -> List.of(AclOperation.DESCRIBE);
            case USER -> List.of(AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS);
            default -> List.of();
        };
    }

    /**
     * The bit field ({@code 1 << operation.code()}) of the supported operations {@code context}'s principal may
     * perform on {@code type}/{@code name}; every supported operation without an authorizer, as Kafka.
     */
    public static int of(RequestAuthorizer authorizer, RequestContext context, ResourceType type, String name) {
        Set<Byte> codes = new HashSet<>();
        for (AclOperation op : supported(type)) {
            if (!authorizer.enabled() || authorizer.authorize(context, op, type, name, false)) {
                codes.add(op.code());
            }
        }
        return Utils.to32BitField(codes);
    }
}
