package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.metadata.ScramCredentialEntry;
import io.samsa.metadata.SecurityImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeUserScramCredentials (API 50, v0 of the pinned jar; KIP-554, {@code Admin.describeUserScramCredentials},
 * {@code kafka-configs --describe --entity-type users}): the mechanisms and iterations of users' SCRAM credentials,
 * from this broker's metadata image (Kafka's {@code ScramImage.describe}); never salts or keys.
 *
 * <p>Null or empty {@code Users}: every user with a credential, sorted by name. Otherwise one result per distinct
 * requested user, in request order: RESOURCE_NOT_FOUND "Attempt to describe a user credential that does not exist:
 * U" for a user without any credential, DUPLICATE_RESOURCE "Cannot describe SCRAM credentials for the same user twice
 * in a single request: U" for a user named twice. Credential infos are sorted by mechanism type.
 *
 * <p>Needs DESCRIBE on the cluster (Kafka's {@code KafkaApis}); otherwise a top-level CLUSTER_AUTHORIZATION_FAILED
 * (and the same per requested user, as Kafka's {@code getErrorResponse}). Runs on the event loop (image read only).
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequestData> {
    static final String DUPLICATE_USER = "Cannot describe SCRAM credentials for the same user twice in a single request: ";
    static final String UNKNOWN_USER = "Attempt to describe a user credential that does not exist: ";

    private final BrokerContext ctx;

    public DescribeUserScramCredentialsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<DescribeUserScramCredentialsResponseData> handle(
            RequestContext context, DescribeUserScramCredentialsRequestData request) {
        if (!ctx.authorizer().authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, Resource.CLUSTER_NAME)) {
            return CompletableFuture.completedFuture(denied(request));
        }
        return CompletableFuture.completedFuture(describe(ctx.image().security().scram(), request));
    }

    /** The answer for {@code request} from the stored credentials. */
    static DescribeUserScramCredentialsResponseData describe(
            Map<SecurityImage.ScramKey, ScramCredentialEntry> stored, DescribeUserScramCredentialsRequestData request) {
        Map<String, List<CredentialInfo>> byUser = new LinkedHashMap<>();
        stored.values().stream()
                .sorted(Comparator.comparing(ScramCredentialEntry::user).thenComparing(ScramCredentialEntry::mechanism))
                .forEach(c -> byUser.computeIfAbsent(c.user(), u -> new ArrayList<>())
                        .add(new CredentialInfo().setMechanism(c.mechanism()).setIterations(c.iterations())));

        // user -> named more than once
        Map<String, Boolean> requested = new LinkedHashMap<>();
        if (request.users() == null || request.users().isEmpty()) {
            new TreeSet<>(byUser.keySet()).forEach(u -> requested.put(u, false));
        } else {
            for (UserName user : request.users()) {
                requested.merge(user.name(), false, (a, b) -> true);
            }
        }
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData()
                .setErrorCode(Errors.NONE.code());
        requested.forEach((user, duplicate) -> {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
            List<CredentialInfo> infos = byUser.get(user);
            if (duplicate) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(DUPLICATE_USER + user);
            } else if (infos == null) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code()).setErrorMessage(UNKNOWN_USER + user);
            } else {
                result.setErrorCode(Errors.NONE.code()).setCredentialInfos(infos);
            }
            response.results().add(result);
        });
        return response;
    }

    private static DescribeUserScramCredentialsResponseData denied(DescribeUserScramCredentialsRequestData request) {
        String message = Errors.CLUSTER_AUTHORIZATION_FAILED.message();
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData()
                .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()).setErrorMessage(message);
        if (request.users() != null) {
            request.users().forEach(u -> response.results().add(new DescribeUserScramCredentialsResult()
                    .setUser(u.name()).setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(message)));
        }
        return response;
    }
}
