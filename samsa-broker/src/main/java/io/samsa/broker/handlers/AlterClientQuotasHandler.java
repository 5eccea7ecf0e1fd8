package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.quota.QuotaValidation;
import io.samsa.metadata.QuotaChange;
import io.samsa.metadata.QuotaEntity;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AlterClientQuotas (API 49, v0-1, KIP-546): sets and removes quota keys of user / client-id / ip entities, default
 * entities included ({@code kafka-configs --alter --entity-type users|clients|ips}), stored in the metadata log so
 * every broker enforces them and they survive restarts. Each entry is validated on its own with Kafka 4.3's rules and
 * messages ({@link QuotaValidation}); the valid entries' changes are written in one batch, unless
 * {@code validate_only}. Needs ALTER_CONFIGS on the cluster, else every entry is CLUSTER_AUTHORIZATION_FAILED.
 *
 * <p>Validation runs on the I/O pool (an IP entity may name a host to resolve); completes when the quorum has applied
 * the batch.
 */
public final class AlterClientQuotasHandler implements ApiHandler<AlterClientQuotasRequestData> {
    private static final Logger LOGGER = LoggerFactory.getLogger(AlterClientQuotasHandler.class);
    private final BrokerContext ctx;

    public AlterClientQuotasHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<AlterClientQuotasResponseData> handle(RequestContext context,
                                                                   AlterClientQuotasRequestData request) {
        if (!ctx.authorizer().authorize(context, AclOperation.ALTER_CONFIGS, ResourceType.CLUSTER,
                Resource.CLUSTER_NAME)) {
            LOGGER.info("Refused AlterClientQuotas principal={} address={}: no ALTER_CONFIGS on the cluster",
                    context.principal(), context.clientAddress());
            return CompletableFuture.failedFuture(
                    new ClusterAuthorizationException(Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        return CompletableFuture.supplyAsync(() -> validate(request), ctx.ioPool())
                .thenCompose(validated -> write(validated, request.validateOnly()));
    }

    /** One request entry after validation: its changes, or the error that refused it. */
    private record Validated(EntryData entry, List<QuotaChange> changes, ApiError error) {
    }

    private List<Validated> validate(AlterClientQuotasRequestData request) {
        Map<QuotaEntity, Map<String, Double>> current = ctx.image().security().quotas();
        Set<QuotaEntity> seen = new HashSet<>();
        List<Validated> out = new ArrayList<>();
        for (EntryData entry : request.entries()) {
            try {
                List<Map.Entry<String, String>> components = new ArrayList<>();
                entry.entity().forEach(e -> components.add(
                        new AbstractMap.SimpleImmutableEntry<>(e.entityType(), e.entityName())));
                QuotaEntity entity = QuotaValidation.entity(components);
                if (!seen.add(entity)) {
                    throw new InvalidRequestException("Ignoring duplicate entity " + QuotaValidation.describe(entity));
                }
                List<QuotaValidation.Op> ops = new ArrayList<>();
                entry.ops().forEach(op -> ops.add(new QuotaValidation.Op(op.key(), op.value(), op.remove())));
                out.add(new Validated(entry, QuotaValidation.changes(entity, ops,
                        current.getOrDefault(entity, Map.of())), ApiError.NONE));
            } catch (ApiException e) {
                out.add(new Validated(entry, List.of(), ApiError.fromThrowable(e)));
            }
        }
        return out;
    }

    private CompletableFuture<AlterClientQuotasResponseData> write(List<Validated> validated, boolean validateOnly) {
        List<QuotaChange> changes = new ArrayList<>();
        validated.forEach(v -> changes.addAll(v.changes()));
        CompletableFuture<Void> written = validateOnly || changes.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : ctx.quorum().alterClientQuotas(changes, false);
        return written.handle((ok, failure) -> {
            ApiError writeError = failure == null ? ApiError.NONE
                    : new ApiError(ErrorMapper.toError(failure), ErrorMapper.message(failure));
            AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
            for (Validated v : validated) {
                ApiError error = v.error().isFailure() ? v.error() : writeError;
                var result = new AlterClientQuotasResponseData.EntryData()
                        .setErrorCode(error.error().code()).setErrorMessage(error.isSuccess() ? null : error.message());
                v.entry().entity().forEach(e -> result.entity().add(new AlterClientQuotasResponseData.EntityData()
                        .setEntityType(e.entityType()).setEntityName(e.entityName())));
                response.entries().add(result);
            }
            return response;
        });
    }
}
