package io.samsa.broker.security;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Kafka's ACL decision rules (KIP-11, KIP-290 prefixed ACLs, KIP-679 {@code authorizeByResourceType}), as its KRaft
 * {@code StandardAuthorizer} applies them, over an {@link AclIndex}. Pure functions; thread-safe.
 *
 * <p>For one resource: a super user is allowed; otherwise, among the ACLs whose pattern covers the resource (literal
 * name, literal {@code *}, matching prefixes), one that matches the principal (or {@code User:*}), the host (or
 * {@code *}) and the operation decides: any DENY wins over every ALLOW. An ALLOW of READ, WRITE, DELETE or ALTER also
 * allows DESCRIBE, an ALLOW of ALTER_CONFIGS also allows DESCRIBE_CONFIGS, and ALL matches every operation (for DENY
 * too). A resource that has ACLs, none of which allow, is denied; a resource without any ACL is allowed only with
 * {@code allow.everyone.if.no.acl.found}.
 */
public final class AclRules {
    /** The principal that matches every user in an ACL. */
    public static final String WILDCARD_PRINCIPAL = "User:*";
    /** The host that matches every address in an ACL. */
    public static final String WILDCARD_HOST = "*";
    private static final Set<AclOperation> IMPLIES_DESCRIBE = EnumSet.of(AclOperation.DESCRIBE, AclOperation.READ,
            AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS = EnumSet.of(AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);

    private AclRules() {
    }

    /** The outcome of one check and the rule that decided it (for the authorizer log). */
    public record Decision(boolean allowed, String rule) {
        static final Decision SUPER_USER = new Decision(true, "SuperUser");
        static final Decision NO_ACL_ALLOW = new Decision(true, "DefaultAllow (no ACL on the resource, "
                + "allow.everyone.if.no.acl.found=true)");
        static final Decision NO_ACL_DENY = new Decision(false, "DefaultDeny (no ACL on the resource)");
        static final Decision NO_MATCH = new Decision(false, "DefaultDeny (no ACL on the resource matches)");
    }

    /**
     * Decides one action.
     *
     * @param principal "type:name" of the requester, e.g. {@code User:alice}
     * @param host      the requester's IP address as text
     */
    public static Decision decide(AclIndex acls, Set<String> superUsers, boolean allowEveryoneIfNoAclFound,
                                  String principal, String host, AclOperation operation, ResourceType type,
                                  String name) {
        if (superUsers.contains(principal)) {
            return Decision.SUPER_USER;
        }
        List<AclBinding> covering = acls.matching(type, name);
        if (covering.isEmpty()) {
            return allowEveryoneIfNoAclFound ? Decision.NO_ACL_ALLOW : Decision.NO_ACL_DENY;
        }
        AclBinding allow = null;
        for (AclBinding acl : covering) {
            AccessControlEntry entry = acl.entry();
            if (!matchesPrincipal(entry.principal(), principal) || !matchesHost(entry.host(), host)) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (entry.operation() == AclOperation.ALL || entry.operation() == operation) {
                    return new Decision(false, "DENY " + describe(acl));
                }
            } else if (entry.permissionType() == AclPermissionType.ALLOW && allow == null
                    && allowCovers(entry.operation(), operation)) {
                allow = acl;
            }
        }
        return allow != null ? new Decision(true, "ALLOW " + describe(allow)) : Decision.NO_MATCH;
    }

    /**
     * KIP-679: whether the principal may perform {@code operation} on at least one resource of {@code type}, as
     * Kafka's {@code Authorizer.authorizeByResourceType}: super users and, when no ACL of the type exists at all,
     * {@code allow.everyone.if.no.acl.found}; otherwise an ALLOW for exactly that operation (or ALL) on a literal
     * name or a prefix that no DENY covers (a literal DENY of the same name, or a DENY prefix of it); a DENY on the
     * literal {@code *} denies. Implied operations do not count here.
     */
    public static boolean decideByResourceType(AclIndex acls, Set<String> superUsers,
                                               boolean allowEveryoneIfNoAclFound, String principal, String host,
                                               AclOperation operation, ResourceType type) {
        // Kafka checks an arbitrary name first, so that super users and the no-ACL default apply
        if (decide(acls, superUsers, allowEveryoneIfNoAclFound, principal, host, operation, type,
                "hardcode").allowed()) {
            return true;
        }
        Set<String> denyLiteral = new HashSet<>();
        Set<String> denyPrefixed = new HashSet<>();
        Set<ResourcePattern> allowed = new HashSet<>();
        for (AclBinding acl : acls.ofType(type)) {
            AccessControlEntry entry = acl.entry();
            if (!matchesPrincipal(entry.principal(), principal) || !matchesHost(entry.host(), host)
                    || (entry.operation() != operation && entry.operation() != AclOperation.ALL)) {
                continue;
            }
            ResourcePattern pattern = acl.pattern();
            boolean literal = pattern.patternType() == PatternType.LITERAL;
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (literal && ResourcePattern.WILDCARD_RESOURCE.equals(pattern.name())) {
                    return false;
                }
                (literal ? denyLiteral : denyPrefixed).add(pattern.name());
            } else if (entry.permissionType() == AclPermissionType.ALLOW) {
                if (literal && ResourcePattern.WILDCARD_RESOURCE.equals(pattern.name())) {
                    return true;
                }
                allowed.add(pattern);
            }
        }
        for (ResourcePattern pattern : allowed) {
            String name = pattern.name();
            if (pattern.patternType() == PatternType.LITERAL && denyLiteral.contains(name)) {
                continue;
            }
            boolean dominated = false;
            for (int end = 1; end <= name.length() && !dominated; end++) {
                dominated = denyPrefixed.contains(name.substring(0, end));
            }
            if (!dominated) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesPrincipal(String aclPrincipal, String principal) {
        return aclPrincipal.equals(principal) || aclPrincipal.equals(WILDCARD_PRINCIPAL);
    }

    private static boolean matchesHost(String aclHost, String host) {
        return aclHost.equals(WILDCARD_HOST) || aclHost.equals(host);
    }

    /** Whether an ALLOW ACL for {@code aclOperation} allows {@code requested} (ALL and the implied DESCRIBEs). */
    static boolean allowCovers(AclOperation aclOperation, AclOperation requested) {
        if (aclOperation == AclOperation.ALL || aclOperation == requested) {
            return true;
        }
        return switch (requested) {
            case DESCRIBE -> IMPLIES_DESCRIBE.contains(aclOperation);
            case DESCRIBE_CONFIGS -> IMPLIES_DESCRIBE_CONFIGS.contains(aclOperation);
            default -> false;
        };
    }

    private static String describe(AclBinding acl) {
        AccessControlEntry e = acl.entry();
        return "ACL(resource=" + AclAuthorizer.resourceText(acl.pattern().resourceType(), acl.pattern().patternType(),
                acl.pattern().name()) + ", principal=" + e.principal() + ", host=" + e.host() + ", operation="
                + e.operation() + ")";
    }
}
