package io.samsa.broker.security;

import io.samsa.broker.config.AuthorizerConfigDefs;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.protocol.RequestContext;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samsa's ACL authorizer, selected by {@code authorizer.class.name} = Kafka's
 * {@code org.apache.kafka.metadata.authorizer.StandardAuthorizer} (or {@code io.samsa.broker.security.AclAuthorizer}):
 * the ACLs stored in the metadata log ({@code ClusterImage.security().acls()}), {@code super.users} and
 * {@code allow.everyone.if.no.acl.found}, with Kafka's rules ({@link AclRules}).
 *
 * <p>Every decision reads one immutable {@link AclIndex} through a volatile field: checks never block and never
 * scan all ACLs. The index is rebuilt by {@link #update} (the metadata listener) when the ACL map changes.
 *
 * <p>Denials are logged at INFO on Kafka's audit logger {@code kafka.authorizer.logger} in Kafka's wording
 * ({@code Principal = User:x is Denied operation = WRITE from host = 1.2.3.4 on resource = Topic:LITERAL:t for
 * request = Produce with resourceRefCount = 1 based on rule DefaultDeny}), at most {@value #DENIALS_LOGGED_PER_SECOND} lines a second with a count of
 * those left out; allowed operations at DEBUG.
 */
public final class AclAuthorizer implements RequestAuthorizer {
    /** Kafka's authorizer audit logger name, so existing log4j routing applies. */
    static final Logger AUDIT = LoggerFactory.getLogger("kafka.authorizer.logger");
    private static final Logger LOGGER = LoggerFactory.getLogger(AclAuthorizer.class);
    static final int DENIALS_LOGGED_PER_SECOND = 100;

    private final Set<String> superUsers;
    private final boolean allowEveryoneIfNoAclFound;
    private final RateLimitedLog denials = new RateLimitedLog(DENIALS_LOGGED_PER_SECOND);
    private volatile AclIndex index = AclIndex.EMPTY;
    private Object source; // identity of the map the index was built from; guarded by this

    /**
     * @param superUsers                principals ("User:admin") allowed everything
     * @param allowEveryoneIfNoAclFound allow every principal on resources without any ACL
     */
    public AclAuthorizer(Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
    }

    /**
     * The authorizer {@code config} asks for: {@link RequestAuthorizer#ALLOW_ALL} when {@code authorizer.class.name}
     * is empty, else an {@code AclAuthorizer} (the key's validator has already refused other class names).
     */
    public static RequestAuthorizer fromConfig(BrokerConfig config) {
        String className = config.values().getString(AuthorizerConfigDefs.AUTHORIZER_CLASS_NAME);
        if (className == null || className.isEmpty()) {
            return ALLOW_ALL;
        }
        Set<String> superUsers = parseSuperUsers(config.values().getString(AuthorizerConfigDefs.SUPER_USERS));
        boolean allowEveryone = config.values().getBoolean(AuthorizerConfigDefs.ALLOW_EVERYONE_IF_NO_ACL_FOUND);
        LOGGER.info("ACL authorizer on ({}): super.users={}, allow.everyone.if.no.acl.found={}", className,
                superUsers, allowEveryone);
        return new AclAuthorizer(superUsers, allowEveryone);
    }

    /** Kafka's {@code super.users} syntax: principals separated by semicolons, blanks around them ignored. */
    static Set<String> parseSuperUsers(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Replaces the ACLs when {@code source} (the image's ACL map, compared by identity) differs from the last one;
     * {@code bindings} converts it. Called by the metadata listener, never on a request path.
     */
    public synchronized <T> void update(T source, java.util.function.Function<T, Map<UUID, AclBinding>> bindings) {
        if (source == this.source) {
            return;
        }
        this.source = source;
        index = AclIndex.of(bindings.apply(source));
        LOGGER.debug("ACLs changed: {} ACLs", index.size());
    }

    /** Replaces the ACLs (tests and callers holding converted bindings). */
    public void update(Map<UUID, AclBinding> acls) {
        update(acls, m -> m);
    }

    /** The current ACLs (DescribeAcls, DeleteAcls). */
    public AclIndex acls() {
        return index;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean authorize(RequestContext context, AclOperation operation, ResourceType resourceType,
                             String resourceName) {
        return authorize(context, operation, resourceType, resourceName, true);
    }

    @Override
    public boolean authorize(RequestContext context, AclOperation operation, ResourceType resourceType,
                             String resourceName, boolean logIfDenied) {
        String principal = principalText(context.principal());
        String host = hostText(context.clientAddress());
        AclRules.Decision decision = AclRules.decide(index, superUsers, allowEveryoneIfNoAclFound, principal, host,
                operation, resourceType, resourceName);
        if (!decision.allowed() && logIfDenied) {
            if (denials.tryAcquire() && AUDIT.isInfoEnabled()) {
                AUDIT.info(auditLine(context, principal, host, false, operation,
                        resourceText(resourceType, PatternType.LITERAL, resourceName), decision.rule()));
            }
        } else if (decision.allowed() && AUDIT.isDebugEnabled()) {
            AUDIT.debug(auditLine(context, principal, host, true, operation,
                    resourceText(resourceType, PatternType.LITERAL, resourceName), decision.rule()));
        }
        return decision.allowed();
    }

    @Override
    public boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType resourceType) {
        String principal = principalText(context.principal());
        String host = hostText(context.clientAddress());
        boolean allowed = AclRules.decideByResourceType(index, superUsers, allowEveryoneIfNoAclFound, principal, host,
                operation, resourceType);
        if (AUDIT.isDebugEnabled()) {
            AUDIT.debug(auditLine(context, principal, host, allowed, operation,
                    SecurityUtils.resourceTypeName(resourceType) + ":ANY", "authorizeByResourceType"));
        }
        return allowed;
    }

    private static String auditLine(RequestContext context, String principal, String host, boolean allowed,
                                    AclOperation operation, String resource, String rule) {
        return "Principal = " + principal + " is " + (allowed ? "Allowed" : "Denied") + " operation = " + operation
                + " from host = " + host + " on resource = " + resource + " for request = "
                + context.apiKey().name + " with resourceRefCount = 1 based on rule " + rule;
    }

    /** Kafka's "Topic:LITERAL:name" rendering of a resource pattern. */
    static String resourceText(ResourceType type, PatternType patternType, String name) {
        return SecurityUtils.resourceTypeName(type) + ":" + patternType + ":" + name;
    }

    /** "type:name" of a principal, as ACLs and {@code super.users} spell it (subclasses' toString ignored). */
    public static String principalText(KafkaPrincipal principal) {
        return principal.getPrincipalType() + ":" + principal.getName();
    }

    /** The client's IP address as text, as ACL hosts spell it ("" when unknown: only the {@code *} host matches). */
    static String hostText(InetSocketAddress address) {
        if (address == null || address.getAddress() == null) {
            return "";
        }
        return address.getAddress().getHostAddress();
    }
}
