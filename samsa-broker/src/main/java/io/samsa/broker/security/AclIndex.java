package io.samsa.broker.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * An immutable snapshot of the cluster's ACLs, indexed for the authorizer's lookups: per resource type, LITERAL ACLs
 * by resource name (the wildcard name {@code *} is one of them) and PREFIXED ACLs by prefix. Finding the ACLs that
 * apply to a resource costs one hash lookup for the literal name, one for {@code *} and one per distinct prefix
 * length of that type, whatever the number of ACLs.
 *
 * <p>Built off the request path (on the metadata listener) whenever the image's ACL map changes; shared read-only by
 * any thread.
 */
public final class AclIndex {
    /** No ACLs. */
    public static final AclIndex EMPTY = new AclIndex(Map.of());

    private final Map<UUID, AclBinding> byId;
    private final Map<ResourceType, TypeIndex> byType = new EnumMap<>(ResourceType.class);

    /** Per resource type: literal ACLs by name, prefixed ACLs by prefix, and the prefix lengths present. */
    private record TypeIndex(Map<String, List<AclBinding>> literal, Map<String, List<AclBinding>> prefixed,
                             int[] prefixLengths, List<AclBinding> all) {
    }

    private AclIndex(Map<UUID, AclBinding> acls) {
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(acls));
        Map<ResourceType, Map<String, List<AclBinding>>> literal = new EnumMap<>(ResourceType.class);
        Map<ResourceType, Map<String, List<AclBinding>>> prefixed = new EnumMap<>(ResourceType.class);
        Map<ResourceType, List<AclBinding>> all = new EnumMap<>(ResourceType.class);
        for (AclBinding acl : byId.values()) {
            ResourcePattern pattern = acl.pattern();
            Map<ResourceType, Map<String, List<AclBinding>>> section = switch (pattern.patternType()) {
                case LITERAL -> literal;
                case PREFIXED -> prefixed;
                default -> null; // ANY/MATCH/UNKNOWN are filters, never stored patterns
            };
            if (section == null) {
                continue;
            }
            section.computeIfAbsent(pattern.resourceType(), t -> new HashMap<>())
                    .computeIfAbsent(pattern.name(), n -> new ArrayList<>()).add(acl);
            all.computeIfAbsent(pattern.resourceType(), t -> new ArrayList<>()).add(acl);
        }
        for (Map.Entry<ResourceType, List<AclBinding>> e : all.entrySet()) {
            Map<String, List<AclBinding>> p = prefixed.getOrDefault(e.getKey(), Map.of());
            TreeSet<Integer> lengths = new TreeSet<>();
            p.keySet().forEach(prefix -> lengths.add(prefix.length()));
            byType.put(e.getKey(), new TypeIndex(literal.getOrDefault(e.getKey(), Map.of()), p,
                    lengths.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(e.getValue())));
        }
    }

    /** An index of {@code acls} (id → binding); bindings with a pattern type other than LITERAL/PREFIXED are ignored. */
    public static AclIndex of(Map<UUID, AclBinding> acls) {
        return acls.isEmpty() ? EMPTY : new AclIndex(acls);
    }

    /** Every ACL by its id, in the order given to {@link #of}. */
    public Map<UUID, AclBinding> all() {
        return byId;
    }

    /** The ACLs of one resource type, whatever their name and pattern. */
    public List<AclBinding> ofType(ResourceType type) {
        TypeIndex index = byType.get(type);
        return index == null ? List.of() : index.all();
    }

    /**
     * The ACLs whose pattern covers the resource {@code type}/{@code name}: LITERAL with that name, LITERAL with the
     * wildcard name {@code *}, and PREFIXED whose prefix starts {@code name}.
     */
    public List<AclBinding> matching(ResourceType type, String name) {
        TypeIndex index = byType.get(type);
        if (index == null) {
            return List.of();
        }
        List<AclBinding> out = new ArrayList<>(index.literal().getOrDefault(name, List.of()));
        if (!ResourcePattern.WILDCARD_RESOURCE.equals(name)) {
            out.addAll(index.literal().getOrDefault(ResourcePattern.WILDCARD_RESOURCE, List.of()));
        }
        for (int length : index.prefixLengths()) {
            if (length > name.length()) {
                break;
            }
            List<AclBinding> acls = index.prefixed().get(name.substring(0, length));
            if (acls != null) {
                out.addAll(acls);
            }
        }
        return out;
    }

    /**
     * Calls {@code visitor} on each ACL {@link #matching} would return, in the same order, without building a list,
     * until the visitor returns false.
     *
     * @return whether any ACL covers the resource
     */
    boolean visitCovering(ResourceType type, String name, Predicate<AclBinding> visitor) {
        TypeIndex index = byType.get(type);
        if (index == null) {
            return false;
        }
        boolean any = false;
        List<AclBinding> literal = index.literal().get(name);
        if (literal != null) {
            any = true;
            if (!visitAll(literal, visitor)) {
                return true;
            }
        }
        if (!ResourcePattern.WILDCARD_RESOURCE.equals(name)) {
            List<AclBinding> wildcard = index.literal().get(ResourcePattern.WILDCARD_RESOURCE);
            if (wildcard != null) {
                any = true;
                if (!visitAll(wildcard, visitor)) {
                    return true;
                }
            }
        }
        for (int length : index.prefixLengths()) {
            if (length > name.length()) {
                break;
            }
            List<AclBinding> acls = index.prefixed().get(name.substring(0, length));
            if (acls != null) {
                any = true;
                if (!visitAll(acls, visitor)) {
                    return true;
                }
            }
        }
        return any;
    }

    private static boolean visitAll(List<AclBinding> acls, Predicate<AclBinding> visitor) {
        for (AclBinding acl : acls) {
            if (!visitor.test(acl)) {
                return false;
            }
        }
        return true;
    }

    /** Number of ACLs. */
    public int size() {
        return byId.size();
    }

    /** Whether {@code type} is a pattern type ACLs are stored with (LITERAL or PREFIXED). */
    static boolean storable(PatternType type) {
        return type == PatternType.LITERAL || type == PatternType.PREFIXED;
    }
}
