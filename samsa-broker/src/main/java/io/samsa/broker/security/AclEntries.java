package io.samsa.broker.security;

import io.samsa.metadata.AclEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/** Converts between the metadata log's {@link AclEntry} (Kafka's byte codes) and kafka-clients' {@link AclBinding}. */
public final class AclEntries {
    private AclEntries() {
    }

    /** The binding an entry stores. */
    public static AclBinding toBinding(AclEntry e) {
        return new AclBinding(new ResourcePattern(ResourceType.fromCode(e.resourceType()), e.resourceName(),
                PatternType.fromCode(e.patternType())), new AccessControlEntry(e.principal(), e.host(),
                AclOperation.fromCode(e.operation()), AclPermissionType.fromCode(e.permissionType())));
    }

    /** The entry to store for a binding (validated by the caller: concrete types, LITERAL or PREFIXED). */
    public static AclEntry toEntry(AclBinding b) {
        return new AclEntry(b.pattern().resourceType().code(), b.pattern().name(), b.pattern().patternType().code(),
                b.entry().principal(), b.entry().host(), b.entry().operation().code(),
                b.entry().permissionType().code());
    }

    /** Every entry of an image's ACL map as a binding, same ids. */
    public static Map<UUID, AclBinding> toBindings(Map<UUID, AclEntry> entries) {
        Map<UUID, AclBinding> out = new LinkedHashMap<>();
        entries.forEach((id, e) -> out.put(id, toBinding(e)));
        return out;
    }
}
