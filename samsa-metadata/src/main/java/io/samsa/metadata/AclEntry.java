package io.samsa.metadata;

import java.util.Objects;

/**
 * One access control entry (Kafka's {@code AccessControlEntryRecord} without its id), in Kafka's codes so this module
 * needs no Kafka artifact: {@code ResourceType.code()}, {@code PatternType.code()}, {@code AclOperation.code()},
 * {@code AclPermissionType.code()}.
 *
 * @param resourceType   e.g. 2 = TOPIC, 3 = GROUP, 4 = CLUSTER, 5 = TRANSACTIONAL_ID
 * @param resourceName   the literal name, the prefix, or {@code *}
 * @param patternType    3 = LITERAL, 4 = PREFIXED
 * @param principal      e.g. {@code User:alice}, {@code User:*}
 * @param host           {@code *} or an IP address
 * @param operation      e.g. 3 = READ, 4 = WRITE
 * @param permissionType 2 = DENY, 3 = ALLOW
 */
public record AclEntry(byte resourceType, String resourceName, byte patternType, String principal, String host,
                       byte operation, byte permissionType) {
    public AclEntry {
        Objects.requireNonNull(resourceName, "resourceName");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
    }
}
