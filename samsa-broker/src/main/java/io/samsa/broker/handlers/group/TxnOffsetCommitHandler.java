package io.samsa.broker.handlers.group;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.ErrorResponses;
import io.samsa.coordinator.runtime.CoordinatorErrors;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.OffsetManager.OffsetToCommit;
import io.samsa.broker.txnverify.AddPartitionsToTxnManager;
import io.samsa.broker.txnverify.TransactionOperation;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * TxnOffsetCommit (API 28, every version of the pinned jar; KIP-98, member fields v3+ from KIP-447): commits a group's
 * offsets inside the producer's transaction. The offsets are written to {@code __consumer_offsets} as a transactional
 * batch and stay pending, invisible to OffsetFetch, until the transaction commits ({@link GroupCoordinator} as
 * {@link io.samsa.coordinator.group.TransactionCompletion}).
 *
 * <p>Unknown topics and partitions get UNKNOWN_TOPIC_OR_PARTITION, an empty group id INVALID_GROUP_ID, metadata over
 * {@code offset.metadata.max.bytes} OFFSET_METADATA_TOO_LARGE; the group checks the member (generation for classic
 * groups, member epoch for KIP-848 groups, a stale one answered ILLEGAL_GENERATION). When the group's
 * {@code __consumer_offsets} partition has no open transaction of the producer, the transaction coordinator verifies
 * that the partition is in the transaction first (KIP-890; AddOffsetsToTxn added it), its errors mapped as Kafka's
 * coordinators map them (NETWORK_EXCEPTION as COORDINATOR_LOAD_IN_PROGRESS). v0-1 clients get COORDINATOR_NOT_AVAILABLE
 * for COORDINATOR_LOAD_IN_PROGRESS, which they do not retry (KAFKA-7296).
 *
 * <p>Authorization (Kafka's {@code KafkaApis.handleTxnOffsetCommitRequest}), in this order: WRITE on the
 * transactional id, else every partition is TRANSACTIONAL_ID_AUTHORIZATION_FAILED; READ on the group, else
 * GROUP_AUTHORIZATION_FAILED; READ on each topic, else its partitions are TOPIC_AUTHORIZATION_FAILED (before an
 * unknown topic is looked for).
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData> {
    private final BrokerContext ctx;
    private final GroupCoordinator coordinator;
    private final AddPartitionsToTxnManager verifier;

    /**
     * @param verifier null (no broker sender) skips the transaction verification
     */
    public TxnOffsetCommitHandler(BrokerContext ctx, GroupCoordinator coordinator, AddPartitionsToTxnManager verifier) {
        this.ctx = ctx;
        this.coordinator = coordinator;
        this.verifier = verifier;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestContext context,
                                                                 TxnOffsetCommitRequestData req) {
        short version = context.apiVersion();
        if (!ctx.authorizer().authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                req.transactionalId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.TXN_OFFSET_COMMIT, version, req,
                    Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!ctx.authorizer().authorize(context, AclOperation.READ, ResourceType.GROUP, req.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.of(ApiKeys.TXN_OFFSET_COMMIT, version, req,
                    Errors.GROUP_AUTHORIZATION_FAILED));
        }
        ClusterImage image = ctx.image();
        Map<TopicPartition, Errors> early = new HashMap<>();
        List<OffsetToCommit> valid = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : req.topics()) {
            Optional<TopicImage> topic = image.topic(t.name());
            boolean readable = ctx.authorizer().authorize(context, AclOperation.READ, ResourceType.TOPIC, t.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                if (!readable) {
                    early.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (topic.isEmpty() || p.partitionIndex() < 0
                        || p.partitionIndex() >= topic.get().partitions().size()) {
                    early.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    valid.add(new OffsetToCommit(tp, p.committedOffset(), p.committedLeaderEpoch(),
                            p.committedMetadata(), -1));
                }
            }
        }
        String groupId = req.groupId();
        CompletableFuture<Map<TopicPartition, Errors>> committed;
        if (valid.isEmpty()) {
            committed = CompletableFuture.completedFuture(Map.of());
        } else if (groupId == null || groupId.isEmpty()) {
            committed = CompletableFuture.failedFuture(Errors.INVALID_GROUP_ID.exception());
        } else {
            committed = verify(req, version).thenCompose(v -> coordinator.onShard(groupId, h ->
                    CompletableFuture.completedFuture(h.offsets().commitTransactional(groupId, req.memberId(),
                            req.groupInstanceId(), req.generationId(), version, req.producerId(),
                            req.producerEpoch(), valid))));
        }
        return committed.handle((result, e) -> {
            Errors all = e == null ? null : CoordinatorErrors.toError(e);
            if (all == Errors.COORDINATOR_LOAD_IN_PROGRESS && version < 2) {
                all = Errors.COORDINATOR_NOT_AVAILABLE;
            }
            TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : req.topics()) {
                TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic rt = new TxnOffsetCommitResponseData
                        .TxnOffsetCommitResponseTopic().setName(t.name());
                for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                    TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                    Errors error = early.get(tp);
                    if (error == null) {
                        error = all != null ? all : result.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                    }
                    rt.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
                }
                response.topics().add(rt);
            }
            return response;
        });
    }

    /**
     * KIP-890: the transaction coordinator confirms that the group's {@code __consumer_offsets} partition is in the
     * producer's transaction, unless the partition already holds an open transaction of the producer.
     */
    private CompletableFuture<Void> verify(TxnOffsetCommitRequestData req, short version) {
        TransactionOperation operation = TransactionOperation.forTxnOffsetCommit(version);
        if (verifier == null || verifier.skips(operation)) {
            return CompletableFuture.completedFuture(null);
        }
        TopicPartition offsetsTp = new TopicPartition(GroupCoordinator.TOPIC, coordinator.partitionFor(req.groupId()));
        // the log is asked on the I/O pool, never on the event loop
        return CompletableFuture.supplyAsync(() -> {
            try {
                return !ctx.replicas().leaderLog(offsetsTp).hasOngoingTransaction(req.producerId(),
                        req.producerEpoch());
            } catch (RuntimeException e) {
                return false; // not led here: the shard answers NOT_COORDINATOR
            }
        }, ctx.ioPool()).thenCompose(needed -> !needed ? CompletableFuture.completedFuture(null)
                : verifier.verify(req.transactionalId(), req.producerId(), req.producerEpoch(), List.of(offsetsTp),
                        operation).thenApply(errors -> {
                            Errors error = errors.get(offsetsTp);
                            if (error != null && error != Errors.NONE) {
                                throw error.exception();
                            }
                            return null;
                        }));
    }
}
