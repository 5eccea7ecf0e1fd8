package io.samsa.broker.handlers.acl;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.ErrorMapper;
import io.samsa.broker.security.AclEntries;
import io.samsa.metadata.AclEntry;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;

/**
 * CreateAcls (API 30, every version of the pinned kafka-clients): stores ACLs in the metadata log in one batch, as
 * Kafka's {@code AclApis}. Needs ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every creation) and an
 * authorizer (else SECURITY_DISABLED); each creation that is not a storable ACL (ANY/UNKNOWN types, a pattern other
 * than LITERAL/PREFIXED, an empty name, a cluster not named {@code kafka-cluster}, an unparsable principal) gets
 * INVALID_REQUEST on its own. Creating an ACL that exists is a success that stores nothing.
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData> {
    private final BrokerContext ctx;

    public CreateAclsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<CreateAclsResponseData> handle(RequestContext context, CreateAclsRequestData request) {
        CreateAclsResponseData response = new CreateAclsResponseData();
        ApiError refused = AclValidation.alterRefusal(ctx, context);
        if (refused != null) {
            for (int i = 0; i < request.creations().size(); i++) {
                response.results().add(new AclCreationResult().setErrorCode(refused.error().code()).setErrorMessage(refused.message()));
            }
            return CompletableFuture.completedFuture(response);
        }
        List<AclCreationResult> results = new ArrayList<>();
        List<AclEntry> valid = new ArrayList<>();
        for (CreateAclsRequestData.AclCreation creation : request.creations()) {
            AclCreationResult result = new AclCreationResult();
            results.add(result);
            String invalid;
            AclBinding binding = null;
            try {
                binding = CreateAclsRequest.aclBinding(creation);
                invalid = AclValidation.invalidAcl(binding);
            } catch (IllegalArgumentException e) { // e.g. a null principal or host
                invalid = e.getMessage();
            }
            if (invalid != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid);
            } else {
                valid.add(AclEntries.toEntry(binding));
            }
        }
        response.setResults(results);
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return ctx.quorum().createAcls(valid).handle((ids, error) -> {
            for (AclCreationResult r : results) {
                if (r.errorCode() == Errors.NONE.code() && error != null) {
                    r.setErrorCode(ErrorMapper.toError(error).code()).setErrorMessage(ErrorMapper.message(error));
                }
            }
            return response;
        });
    }
}
