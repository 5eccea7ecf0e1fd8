package io.samsa.broker.handlers.txn;

import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.coordinator.txn.TransactionState;
import io.samsa.coordinator.txn.TxnMetadata;
import io.samsa.coordinator.txn.TxnShard;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListTransactions (API 66, v0-2, KIP-664): the transactional ids coordinated by this broker, filtered by state
 * names, producer ids, (v1, KIP-994) transactions running longer than {@code DurationFilter} ms and (v2) a
 * transactional id regular expression. Unknown state names are returned in {@code UnknownStateFilters}.
 * COORDINATOR_LOAD_IN_PROGRESS while a partition of {@code __transaction_state} led here is loading, as Kafka. Only
 * the transactional ids the principal may DESCRIBE are listed (Kafka's
 * {@code KafkaApis.handleListTransactionsRequest}).
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequestData> {
    private final TransactionCoordinator coordinator;
    private final RequestAuthorizer authorizer;

    public ListTransactionsHandler(TransactionCoordinator coordinator, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.authorizer = authorizer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ListTransactionsResponseData> handle(RequestContext context,
                                                                  ListTransactionsRequestData request) {
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Set<TransactionState> states = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : request.stateFilters()) {
            TransactionState s = TransactionState.fromName(name);
            if (s == null) {
                unknown.add(name);
            } else {
                states.add(s);
            }
        }
        response.setUnknownStateFilters(unknown);
        Pattern pattern;
        try {
            String regex = request.transactionalIdPattern();
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        if (!request.stateFilters().isEmpty() && states.isEmpty()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code()));
        }
        Set<Long> producerIds = new HashSet<>(request.producerIdFilters());
        long duration = request.durationFilter();
        List<CompletableFuture<List<ListTransactionsResponseData.TransactionState>>> parts = new ArrayList<>();
        for (TxnShard shard : coordinator.shards()) {
            if (!shard.isLoaded()) {
                return CompletableFuture.completedFuture(response
                        .setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code()));
            }
            parts.add(shard.call(() -> {
                long now = shard.nowMs();
                List<ListTransactionsResponseData.TransactionState> out = new ArrayList<>();
                for (TxnMetadata m : shard.all()) {
                    if ((states.isEmpty() || states.contains(m.state()))
                            && (producerIds.isEmpty() || producerIds.contains(m.producerId()))
                            && (duration < 0 || now - m.txnStartTimestamp() > duration)
                            && (pattern == null || pattern.matcher(m.transactionalId()).matches())) {
                        out.add(new ListTransactionsResponseData.TransactionState()
                                .setTransactionalId(m.transactionalId()).setProducerId(m.producerId())
                                .setTransactionState(m.state().displayName()));
                    }
                }
                return out;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (e != null) {
                return response.setErrorCode(io.samsa.coordinator.runtime.CoordinatorErrors.toError(e).code());
            }
            List<ListTransactionsResponseData.TransactionState> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            all.removeIf(t -> !authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID,
                    t.transactionalId()));
            return response.setErrorCode(Errors.NONE.code()).setTransactionStates(all);
        });
    }
}
