package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.replica.FetchWakeups;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.broker.txnverify.AddPartitionsToTxnManager;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import io.samsa.storage.AppendOrigin;
import io.samsa.storage.LogAppendInfo;
import io.samsa.storage.txn.VerificationGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce (API 0, v3-13, advertised from v0): appends each partition's batch as leader, with acks 0, 1 or -1 (all).
 * acks=all completes once every in-sync replica has the batch (the high watermark passed it), with
 * NOT_ENOUGH_REPLICAS when the ISR is below {@code min.insync.replicas} before the append, and REQUEST_TIMED_OUT
 * when the ISR did not catch up within the request's timeout; NOT_LEADER_OR_FOLLOWER names the current leader
 * (KIP-951, v10+). acks=0 sends no response. Topics are addressed by name (v0-12) or topic id (v13, KIP-516); unknown topics are auto-created when
 * {@code auto.create.topics.enable} is on and the batch appended once they exist.
 *
 * <p>With an authorizer, before anything else: transactional records need WRITE on the transactional id (else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED for the whole request) and each topic WRITE (else TOPIC_AUTHORIZATION_FAILED
 * for its partitions, which are neither verified nor appended); auto-creation also needs CREATE.
 *
 * <p>Transactional batches (KIP-98) need the request's {@code transactional_id}; the first one of a producer's
 * transaction on a partition is verified with the transaction coordinator first (KIP-890, {@link ProduceVerification}).
 *
 * <p>Appends run on the broker's I/O pool, all partitions of a request in one task, in request order per connection.
 * Under {@code flush.messages} (durable mode) a partition's result waits for the group-commit fsync covering its
 * batch ({@link io.samsa.broker.replica.ReplicaManager#appendAsLeader}): the response completes when the last of them
 * returns, with KAFKA_STORAGE_ERROR for a partition whose fsync failed, while the connection's next request is
 * already appended (its batch joins the next fsync). No thread waits for the fsync.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProduceHandler.class);
    private static final long AUTO_CREATE_WAIT_MS = 5_000;
    private final BrokerContext ctx;
    private final AddPartitionsToTxnManager verifier;

    /** A handler without transaction verification. */
    public ProduceHandler(BrokerContext ctx) {
        this(ctx, null);
    }

    /**
     * @param verifier verifies transactional partitions with their transaction coordinator (KIP-890); null skips the
     *                 verification ({@code transaction.partition.verification.enable=false}, or no broker sender)
     */
    public ProduceHandler(BrokerContext ctx, AddPartitionsToTxnManager verifier) {
        this.ctx = ctx;
        this.verifier = verifier;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestContext context, ProduceRequestData fullRequest) {
        short version = context.apiVersion();
        boolean topicIds = version >= 13;
        // ACLs first, as Kafka's KafkaApis: transactional records need WRITE on the transactional id (else the whole
        // request fails), each topic needs WRITE (else its partitions get TOPIC_AUTHORIZATION_FAILED, and nothing of
        // theirs reaches verification or the log)
        RequestAuthorizer authorizer = ctx.authorizer();
        if (authorizer.enabled() && ProduceVerification.hasTransactionalRecords(fullRequest)
                && (fullRequest.transactionalId() == null || !authorizer.authorize(context, AclOperation.WRITE,
                        ResourceType.TRANSACTIONAL_ID, fullRequest.transactionalId()))) {
            throw new TransactionalIdAuthorizationException(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.message());
        }
        List<TopicProduceResponse> unauthorized = new ArrayList<>();
        ProduceRequestData request = authorizer.enabled()
                ? authorizedPart(context, fullRequest, topicIds, unauthorized) : fullRequest;
        List<CompletableFuture<?>> creations = new ArrayList<>();
        if (!topicIds) {
            ClusterImage image = ctx.image();
            for (TopicProduceData t : request.topicData()) {
                if (image.topic(t.name()).isEmpty() && ctx.topics().mayAutoCreate(t.name())
                        && mayCreate(context, t.name())) {
                    creations.add(ctx.topics().autoCreate(t.name()).exceptionally(e -> null));
                }
            }
        }
        CompletableFuture<Void> ready = creations.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new))
                        .completeOnTimeout(null, AUTO_CREATE_WAIT_MS, TimeUnit.MILLISECONDS);
        // Batches of one connection reach the log in request order (pipelined idempotent producers rely on it).
        // The serial chain holds the next request of the connection until this one is verified (transactions,
        // KIP-890; no thread waits) and appended, not fsynced.
        CompletableFuture<ProduceResponseData> response = ctx.appends().submitAsync(context.connectionId(), ready,
                () -> {
                    // throws TRANSACTIONAL_ID_AUTHORIZATION_FAILED / INVALID_PRODUCER_ID_MAPPING for the whole request
                    ProduceVerification.Transaction txn = ProduceVerification.transactionOf(request, ctx.image(),
                            topicIds);
                    return ProduceVerification.verify(txn, version, ctx.replicas(), verifier)
                            .thenApply(verified -> append(request, version, topicIds, verified));
                })
                .thenCompose(r -> r)
                .thenApply(r -> version >= 10 ? withLeaderHints(r, topicIds, context.listenerName()) : r)
                .thenApply(r -> {
                    r.responses().addAll(unauthorized);
                    return r;
                });
        if (request.acks() == 0) {
            // No response for acks=0; a failed append closes the connection instead, as Kafka does, so the
            // producer notices through its next request.
            return response.thenApply(r -> {
                for (TopicProduceResponse t : r.responses()) {
                    for (PartitionProduceResponse p : t.partitionResponses()) {
                        if (p.errorCode() != Errors.NONE.code()) {
                            LOGGER.debug("acks=0 produce from {} failed with {}: closing the connection",
                                    context.clientId(), Errors.forCode(p.errorCode()));
                            throw Errors.forCode(p.errorCode()).exception(p.errorMessage());
                        }
                    }
                }
                return null;
            });
        }
        return response;
    }

    /**
     * Removes from {@code request} (which the handler owns) the topics the principal may not WRITE, and answers their
     * partitions in {@code unauthorized} with TOPIC_AUTHORIZATION_FAILED. Topics addressed by an unknown id stay (the
     * append answers UNKNOWN_TOPIC_ID, as Kafka, which resolves ids before authorizing).
     *
     * @return {@code request}
     */
    private ProduceRequestData authorizedPart(RequestContext context, ProduceRequestData request, boolean topicIds,
                                              List<TopicProduceResponse> unauthorized) {
        ClusterImage image = ctx.image();
        List<TopicProduceData> refused = new ArrayList<>();
        for (TopicProduceData t : request.topicData()) {
            String name = t.name();
            if (topicIds) {
                Optional<TopicImage> topic = image.topic(new UUID(t.topicId().getMostSignificantBits(),
                        t.topicId().getLeastSignificantBits()));
                name = topic.map(TopicImage::name).orElse(null);
            }
            if (name == null || ctx.authorizer().authorize(context, AclOperation.WRITE, ResourceType.TOPIC, name)) {
                continue;
            }
            refused.add(t);
            TopicProduceResponse out = new TopicProduceResponse().setName(t.name()).setTopicId(t.topicId());
            for (PartitionProduceData p : t.partitionData()) {
                PartitionProduceResponse pr = new PartitionProduceResponse().setIndex(p.index());
                error(pr, Errors.TOPIC_AUTHORIZATION_FAILED, null);
                out.partitionResponses().add(pr);
            }
            unauthorized.add(out);
        }
        refused.forEach(request.topicData()::remove); // the handler owns the decoded request
        return request;
    }

    /**
     * Whether the principal may have {@code topic} auto-created: CREATE on the cluster or on the topic, as Kafka's
     * Metadata auto-creation.
     */
    private boolean mayCreate(RequestContext context, String topic) {
        RequestAuthorizer authorizer = ctx.authorizer();
        return !authorizer.enabled()
                || authorizer.authorize(context, AclOperation.CREATE, ResourceType.CLUSTER,
                        AuthorizedOperations.CLUSTER_NAME, false)
                || authorizer.authorize(context, AclOperation.CREATE, ResourceType.TOPIC, topic);
    }

    private CompletableFuture<ProduceResponseData> append(ProduceRequestData request, short version,
                                                          boolean topicIds, ProduceVerification.Verified verified) {
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<?>> flushes;
        int partitions = 0;
        for (TopicProduceData t : request.topicData()) {
            partitions += t.partitionData().size();
        }
        // several partitions: their parked fetches wake once, after the last append (Kafka's ActionQueue)
        FetchWakeups wakeups = partitions > 1 ? new FetchWakeups(partitions) : null;
        try {
            flushes = appendAll(request, version, topicIds, verified, wakeups, response);
        } finally {
            if (wakeups != null) {
                ctx.replicas().wake(wakeups);
            }
        }
        if (flushes == null) {
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new)).handle((v, e) -> response);
    }

    /**
     * Appends every partition of the request, filling {@code response}.
     *
     * @return the pending fsyncs of the appends (durable mode), null when none
     */
    private List<CompletableFuture<?>> appendAll(ProduceRequestData request, short version, boolean topicIds,
                                                 ProduceVerification.Verified verified, FetchWakeups wakeups,
                                                 ProduceResponseData response) {
        List<CompletableFuture<?>> flushes = null;
        Map<TopicPartition, ApiException> refused = verified.refused();
        boolean validAcks = request.acks() == 0 || request.acks() == 1 || request.acks() == -1;
        ClusterImage image = ctx.image();
        for (TopicProduceData t : request.topicData()) {
            Optional<TopicImage> topic = topicIds
                    ? image.topic(new UUID(t.topicId().getMostSignificantBits(), t.topicId().getLeastSignificantBits()))
                    : image.topic(t.name());
            TopicProduceResponse out = new TopicProduceResponse().setName(t.name()).setTopicId(t.topicId());
            for (PartitionProduceData p : t.partitionData()) {
                PartitionProduceResponse pr = new PartitionProduceResponse().setIndex(p.index());
                if (!validAcks) {
                    error(pr, Errors.INVALID_REQUIRED_ACKS, null);
                } else if (topic.isEmpty()) {
                    error(pr, topicIds ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else if (!refused.isEmpty() && refused.containsKey(new TopicPartition(topic.get().name(),
                        p.index()))) { // the transaction coordinator did not verify the partition (KIP-890)
                    ApiException e = refused.get(new TopicPartition(topic.get().name(), p.index()));
                    error(pr, Errors.forException(e), e.getMessage());
                } else {
                    TopicPartition tp = new TopicPartition(topic.get().name(), p.index());
                    CompletableFuture<?> flushed = appendPartition(tp, p, version, request.acks(),
                            request.timeoutMs(), verified.guard(tp), wakeups, pr);
                    if (flushed != null) {
                        flushes = flushes == null ? new ArrayList<>() : flushes;
                        flushes.add(flushed);
                    }
                }
                out.partitionResponses().add(pr);
            }
            response.responses().add(out);
        }
        return flushes;
    }

    /** Appends one partition's batch; fills {@code pr} now, or later when the returned fsync future completes. */
    private CompletableFuture<?> appendPartition(TopicPartition tp, PartitionProduceData p, short version, short acks,
                                                 int timeoutMs, VerificationGuard guard, FetchWakeups wakeups,
                                                 PartitionProduceResponse pr) {
        if (!(p.records() instanceof MemoryRecords records)) {
            error(pr, Errors.INVALID_REQUEST, "Produce records must be in memory");
            return null;
        }
        if (version < 7) {
            for (RecordBatch batch : records.batches()) {
                if (batch.compressionType() == CompressionType.ZSTD) {
                    error(pr, Errors.UNSUPPORTED_COMPRESSION_TYPE, "ZStandard compression needs Produce v7 or later");
                    return null;
                }
            }
        }
        CompletableFuture<LogAppendInfo> appended;
        try {
            appended = ctx.replicas().appendAsLeader(tp, records, acks, Math.max(0, timeoutMs), AppendOrigin.CLIENT,
                    guard, wakeups);
        } catch (RuntimeException e) {
            failed(tp, pr, e);
            return null;
        }
        if (appended.isDone() && !appended.isCompletedExceptionally()) {
            succeeded(pr, appended.join());
            return null;
        }
        return appended.whenComplete((info, e) -> {
            if (e == null) {
                succeeded(pr, info);
            } else {
                failed(tp, pr, e); // never acknowledged: the fsync covering the batch failed
            }
        });
    }

    /** KIP-951: each partition refused with NOT_LEADER_OR_FOLLOWER names the current leader and its endpoint. */
    private ProduceResponseData withLeaderHints(ProduceResponseData response, boolean topicIds, String listener) {
        ClusterImage image = null;
        for (TopicProduceResponse t : response.responses()) {
            for (PartitionProduceResponse pr : t.partitionResponses()) {
                if (!LeaderHint.wanted(Errors.forCode(pr.errorCode()))) {
                    continue;
                }
                image = image == null ? ctx.image() : image;
                Optional<TopicImage> topic = topicIds ? image.topic(new UUID(t.topicId().getMostSignificantBits(),
                        t.topicId().getLeastSignificantBits())) : image.topic(t.name());
                if (topic.isEmpty()) {
                    continue;
                }
                LeaderHint.of(image, new TopicPartition(topic.get().name(), pr.index()), listener).ifPresent(hint -> {
                    pr.currentLeader().setLeaderId(hint.leaderId()).setLeaderEpoch(hint.leaderEpoch());
                    if (hint.endpoint().isPresent() && response.nodeEndpoints().find(hint.leaderId()) == null) {
                        response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(hint.leaderId())
                                .setHost(hint.endpoint().get().host()).setPort(hint.endpoint().get().port())
                                .setRack(hint.rack()));
                    }
                });
            }
        }
        return response;
    }

    private static void succeeded(PartitionProduceResponse pr, LogAppendInfo info) {
        pr.setErrorCode(Errors.NONE.code())
                .setBaseOffset(info.firstOffset())
                .setLogAppendTimeMs(info.logAppendTimeMs())
                .setLogStartOffset(info.logStartOffset());
    }

    private static void failed(TopicPartition tp, PartitionProduceResponse pr, Throwable e) {
        Errors err = ErrorMapper.toError(e);
        if (err == Errors.UNKNOWN_SERVER_ERROR) { // e.g. an unknown codec id: client input, so no stack at WARN
            LOGGER.warn("Append to {} failed: {}", tp, e.toString());
            LOGGER.debug("Append to {} failed", tp, e);
        }
        error(pr, err, ErrorMapper.message(e));
    }

    private static void error(PartitionProduceResponse pr, Errors error, String message) {
        pr.setErrorCode(error.code()).setErrorMessage(message).setBaseOffset(-1L).setLogAppendTimeMs(-1L)
                .setLogStartOffset(-1L);
    }

}
