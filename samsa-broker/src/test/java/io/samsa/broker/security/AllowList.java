package io.samsa.broker.security;

import io.samsa.protocol.RequestContext;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A test {@link RequestAuthorizer}: allows exactly the (principal, operation, resource type, name) tuples added, deny
 * by default; a name ending in {@code *} matches by prefix. Not thread-safe to configure; fine to query concurrently.
 */
public final class AllowList implements RequestAuthorizer {
    public static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");

    private record Grant(String principal, AclOperation operation, ResourceType type, String name) {
    }

    private final Set<Grant> grants = new HashSet<>();

    /** Allows {@code principal} {@code operation} on {@code type}/{@code name} (a trailing * is a prefix). */
    public AllowList allow(KafkaPrincipal principal, AclOperation operation, ResourceType type, String name) {
        grants.add(new Grant(principal.toString(), operation, type, name));
        return this;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name) {
        String principal = context.principal().toString();
        return name != null && grants.stream().anyMatch(g -> g.principal().equals(principal)
                && g.operation() == operation && g.type() == type
                && (g.name().endsWith("*") ? name.startsWith(g.name().substring(0, g.name().length() - 1))
                : g.name().equals(name)));
    }

    @Override
    public boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType type) {
        String principal = context.principal().toString();
        return grants.stream().anyMatch(g -> g.principal().equals(principal) && g.operation() == operation
                && g.type() == type);
    }

    /** A request of {@code api} at {@code version} from {@code principal} on a SASL_PLAINTEXT listener. */
    public static RequestContext request(ApiKeys api, int version, KafkaPrincipal principal) {
        return new RequestContext(new RequestHeader(api, (short) version, "client", 7),
                new InetSocketAddress("127.0.0.1", 50000), "c-1", "CLIENTS", SecurityProtocol.SASL_PLAINTEXT,
                principal);
    }
}
