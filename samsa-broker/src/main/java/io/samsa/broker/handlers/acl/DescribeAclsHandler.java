package io.samsa.broker.handlers.acl;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.AclEntries;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeAcls (API 29, every version of the pinned kafka-clients): the stored ACLs that match a filter (kafka-clients'
 * {@link AclBindingFilter#matches}: ANY fields, the MATCH pattern type covering literal, wildcard and prefixed
 * patterns), grouped by resource, as Kafka's {@code AclApis}. Needs DESCRIBE on the cluster (else
 * CLUSTER_AUTHORIZATION_FAILED) and an authorizer (else SECURITY_DISABLED); a filter with UNKNOWN elements gets
 * INVALID_REQUEST. Reads the local metadata image.
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData> {
    private final BrokerContext ctx;

    public DescribeAclsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<DescribeAclsResponseData> handle(RequestContext context, DescribeAclsRequestData request) {
        DescribeAclsResponseData response = new DescribeAclsResponseData();
        if (!ctx.authorizer().authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER,
                AuthorizedOperations.CLUSTER_NAME)) {
            return done(response, Errors.CLUSTER_AUTHORIZATION_FAILED, Errors.CLUSTER_AUTHORIZATION_FAILED.message());
        }
        if (!ctx.authorizer().enabled()) {
            return done(response, Errors.SECURITY_DISABLED, AclValidation.NO_AUTHORIZER);
        }
        AclBindingFilter filter = filter(request);
        String invalid = AclValidation.invalidFilter(filter);
        if (invalid != null) {
            return done(response, Errors.INVALID_REQUEST, invalid);
        }
        List<AclBinding> matching = AclEntries.toBindings(ctx.image().security().acls()).values().stream()
                .filter(filter::matches).toList();
        response.setResources(DescribeAclsResponse.aclsResources(matching));
        return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()));
    }

    private static CompletableFuture<DescribeAclsResponseData> done(DescribeAclsResponseData response, Errors error,
                                                                   String message) {
        return CompletableFuture.completedFuture(response.setErrorCode(error.code()).setErrorMessage(message));
    }

    static AclBindingFilter filter(DescribeAclsRequestData r) {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.fromCode(r.resourceTypeFilter()),
                r.resourceNameFilter(), PatternType.fromCode(r.patternTypeFilter())),
                new AccessControlEntryFilter(r.principalFilter(), r.hostFilter(),
                        AclOperation.fromCode(r.operation()), AclPermissionType.fromCode(r.permissionType())));
    }
}
