package io.samsa.broker.handlers.acl;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.ErrorMapper;
import io.samsa.broker.security.AclEntries;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteAcls (API 31, every version of the pinned kafka-clients): removes the ACLs matching each filter in one
 * metadata batch and lists them per filter, as Kafka 4.3: an ACL matched by several filters is listed under each. Needs ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every filter) and an
 * authorizer (else SECURITY_DISABLED); a filter with UNKNOWN elements gets INVALID_REQUEST on its own.
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData> {
    private final BrokerContext ctx;

    public DeleteAclsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<DeleteAclsResponseData> handle(RequestContext context, DeleteAclsRequestData request) {
        DeleteAclsResponseData response = new DeleteAclsResponseData();
        ApiError refused = AclValidation.alterRefusal(ctx, context);
        if (refused != null) {
            for (int i = 0; i < request.filters().size(); i++) {
                response.filterResults().add(new DeleteAclsFilterResult().setErrorCode(refused.error().code())
                        .setErrorMessage(refused.message()));
            }
            return CompletableFuture.completedFuture(response);
        }
        Map<UUID, AclBinding> stored = AclEntries.toBindings(ctx.image().security().acls());
        Set<UUID> toRemove = new HashSet<>();
        List<DeleteAclsFilterResult> results = new ArrayList<>();
        for (DeleteAclsRequestData.DeleteAclsFilter f : request.filters()) {
            AclBindingFilter filter = filter(f);
            String invalid = AclValidation.invalidFilter(filter);
            DeleteAclsFilterResult result = new DeleteAclsFilterResult();
            results.add(result);
            if (invalid != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid);
                continue;
            }
            stored.forEach((id, acl) -> {
                if (filter.matches(acl)) { // listed under every filter that matches it, as Kafka
                    toRemove.add(id);
                    result.matchingAcls().add(DeleteAclsResponse.matchingAcl(acl, ApiError.NONE));
                }
            });
        }
        response.setFilterResults(results);
        if (toRemove.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return ctx.quorum().removeAcls(toRemove).handle((v, error) -> {
            if (error != null) {
                for (DeleteAclsFilterResult r : results) {
                    if (r.errorCode() == Errors.NONE.code()) {
                        r.setErrorCode(ErrorMapper.toError(error).code()).setErrorMessage(ErrorMapper.message(error));
                        r.matchingAcls().clear();
                    }
                }
            }
            return response;
        });
    }

    static AclBindingFilter filter(DeleteAclsRequestData.DeleteAclsFilter f) {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.fromCode(f.resourceTypeFilter()),
                f.resourceNameFilter(), PatternType.fromCode(f.patternTypeFilter())),
                new AccessControlEntryFilter(f.principalFilter(), f.hostFilter(),
                        AclOperation.fromCode(f.operation()), AclPermissionType.fromCode(f.permissionType())));
    }
}
