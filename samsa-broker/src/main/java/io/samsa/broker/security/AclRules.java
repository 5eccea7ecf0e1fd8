package io.samsa.broker.security;

import java.util.EnumSet;
import java.util.HashSet;
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

    /**
     * The outcome of one check and the rule that decided it, named as Kafka's {@code StandardAuthorizerData} names
     * it in the authorizer log: {@code SuperUser}, {@code DefaultAllow}, {@code DefaultDeny},
     * {@code MatchingAcl(acl=StandardAcl[...])}.
     */
    public record Decision(boolean allowed, AclBinding acl, String defaultRule) {
        static final Decision SUPER_USER = new Decision(true, null, "SuperUser");
        static final Decision DEFAULT_ALLOW = new Decision(true, null, "DefaultAllow");
        static final Decision DEFAULT_DENY = new Decision(false, null, "DefaultDeny");

        /** The rule's name for the log (built on demand: checks that are not logged pay nothing). */
        public String rule() {
            return acl == null ? defaultRule : matchingAcl(acl);
        }
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
        AclBinding[] found = new AclBinding[2]; // [0] the deciding DENY, [1] the first applying ALLOW
        boolean covered = acls.visitCovering(type, name, acl -> {
            AccessControlEntry entry = acl.entry();
            if (!matchesPrincipal(entry.principal(), principal) || !matchesHost(entry.host(), host)) {
                return true;
            }
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (entry.operation() == AclOperation.ALL || entry.operation() == operation) {
                    found[0] = acl;
                    return false; // a DENY decides at once
                }
            } else if (entry.permissionType() == AclPermissionType.ALLOW && found[1] == null
                    && allowCovers(entry.operation(), operation)) {
                found[1] = acl;
            }
            return true;
        });
        if (!covered) {
            return allowEveryoneIfNoAclFound ? Decision.DEFAULT_ALLOW : Decision.DEFAULT_DENY;
        }
        if (found[0] != null) {
            return new Decision(false, found[0], null);
        }
        return found[1] != null ? new Decision(true, found[1], null) : Decision.DEFAULT_DENY;
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

    private static String matchingAcl(AclBinding acl) {
        AccessControlEntry e = acl.entry();
        return "MatchingAcl(acl=StandardAcl[resourceType=" + acl.pattern().resourceType() + ", resourceName="
                + acl.pattern().name() + ", patternType=" + acl.pattern().patternType() + ", principal="
                + e.principal() + ", host=" + e.host() + ", operation=" + e.operation() + ", permissionType="
                + e.permissionType() + "])";
    }
}
