package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.SecurityImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AlterUserScramCredentials (API 51, v0 of the pinned jar; KIP-554, {@code Admin.alterUserScramCredentials},
 * {@code kafka-configs --alter --add-config 'SCRAM-SHA-256=[...]' --entity-type users}): validated against the
 * current image by {@link ScramAlterations} (Kafka's controller rules and errors, per user), then the accepted
 * upsertions and deletions are written to the metadata log in one batch ({@code MetadataQuorum.alterScramCredentials})
 * and the response is sent once it is applied. Only salt, stored key, server key and iterations are stored.
 *
 * <p>Needs ALTER on the cluster (Kafka's {@code ControllerApis}); otherwise every user of the request gets
 * CLUSTER_AUTHORIZATION_FAILED. A failure of the metadata write (e.g. REQUEST_TIMED_OUT, the write may still commit
 * later) is given to the users whose alterations were accepted. Unlike Kafka, deletions are checked against this
 * broker's image rather than the controller's: a deletion racing another broker's deletion of the same credential
 * succeeds twice.
 *
 * <p>Runs on the event loop (the stored/server keys are two HMACs per upsertion; the client did the PBKDF2 work).
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler<AlterUserScramCredentialsRequestData> {
    private static final Logger LOGGER = LoggerFactory.getLogger(AlterUserScramCredentialsHandler.class);

    private final BrokerContext ctx;

    public AlterUserScramCredentialsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AlterUserScramCredentialsResponseData> handle(RequestContext context,
                                                                           AlterUserScramCredentialsRequestData request) {
        if (!ctx.authorizer().authorize(context, AclOperation.ALTER, ResourceType.CLUSTER, Resource.CLUSTER_NAME)) {
            return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponseData().setResults(
                    ScramAlterations.failAll(request, new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED,
                            "Request AlterUserScramCredentials is not authorized."))));
        }
        Map<SecurityImage.ScramKey, ScramCredentialEntry> stored = ctx.image().security().scram();
        ScramAlterations.Plan plan = ScramAlterations.plan(request, stored::containsKey);
        if (plan.upserts().isEmpty() && plan.deletions().isEmpty()) {
            return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponseData()
                    .setResults(plan.results()));
        }
        return ctx.quorum().alterScramCredentials(plan.upserts(), plan.deletions()).handle((ok, failure) -> {
            if (failure == null) {
                LOGGER.info("SCRAM credentials altered principal={} address={} upserted={} deleted={}",
                        context.principal(), address(context), describe(plan.upserts().stream()
                                .map(ScramCredentialEntry::key).toList()), describe(plan.deletions()));
                return new AlterUserScramCredentialsResponseData().setResults(plan.results());
            }
            ApiError error = new ApiError(ErrorMapper.toError(failure), ErrorMapper.message(failure));
            LOGGER.warn("SCRAM credentials not altered principal={} error={} message={}", context.principal(),
                    error.error(), error.message());
            List<AlterUserScramCredentialsResult> results = plan.results().stream()
                    .map(r -> r.errorCode() != Errors.NONE.code() ? r : r.duplicate()
                            .setErrorCode(error.error().code()).setErrorMessage(error.message()))
                    .toList();
            return new AlterUserScramCredentialsResponseData().setResults(results);
        });
    }

    private static String address(RequestContext context) {
        return context.clientAddress() == null ? "-" : context.clientAddress().getAddress().getHostAddress();
    }

    /** {@code [alice/SCRAM-SHA-256, ...]}: names and mechanisms, nothing secret. */
    private static String describe(List<SecurityImage.ScramKey> keys) {
        return keys.stream().map(k -> k.user() + "/" + ScramMechanism.fromType(k.mechanism()).mechanismName())
                .toList().toString();
    }
}
