package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.coordinator.group.TransactionCompletion;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * WriteTxnMarkers (API 27, v1-2 of the pinned jar; KIP-98, Kafka's {@code KafkaApis.handleWriteTxnMarkersRequest}):
 * the transaction coordinator asks each partition leader to write a COMMIT or ABORT marker for a producer. For every
 * marker and partition the marker is appended as leader with {@code acks=all} and origin {@code COORDINATOR}
 * ({@link io.samsa.broker.replica.ReplicaManager#appendTxnMarker}), except in {@code __consumer_offsets}, where the
 * group coordinator's {@link TransactionCompletion} writes it and makes the transaction's offsets visible or drops
 * them. Each partition gets its own error: NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION,
 * INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED, NOT_ENOUGH_REPLICAS(_AFTER_APPEND), REQUEST_TIMED_OUT,
 * KAFKA_STORAGE_ERROR. Only brokers send it (no authorization yet: it is served to any client).
 *
 * <p>Never blocks the event loop: appends run on the I/O pool and the response completes when every partition did.
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequestData> {
    /** How long a marker's {@code acks=all} append may wait for the ISR (Kafka uses the request timeout). */
    static final long MARKER_TIMEOUT_MS = 30_000L;

    private final BrokerContext ctx;
    private final TransactionCompletion offsetsCompletion;

    /**
     * @param offsetsCompletion completes transactions in {@code __consumer_offsets} partitions (the group coordinator)
     */
    public WriteTxnMarkersHandler(BrokerContext ctx, TransactionCompletion offsetsCompletion) {
        this.ctx = ctx;
        this.offsetsCompletion = offsetsCompletion;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponseData> handle(RequestContext context,
                                                                 WriteTxnMarkersRequestData request) {
        // Kafka: CLUSTER_ACTION on the cluster (only brokers send markers)
        Acls.requireCluster(ctx, context, AclOperation.CLUSTER_ACTION);
        // the appends start on the I/O pool, never on the event loop
        return CompletableFuture.supplyAsync(() -> writeAll(request), ctx.ioPool()).thenCompose(f -> f);
    }

    private CompletableFuture<WriteTxnMarkersResponseData> writeAll(WriteTxnMarkersRequestData request) {
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (WritableTxnMarker marker : request.markers()) {
            WritableTxnMarkerResult markerResult = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            TransactionResult result = marker.transactionResult() ? TransactionResult.COMMIT : TransactionResult.ABORT;
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                for (int partition : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult partitionResult = new WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(partition);
                    topicResult.partitions().add(partitionResult);
                    TopicPartition tp = new TopicPartition(topic.name(), partition);
                    pending.add(write(tp, marker, result).handle((v, e) -> {
                        partitionResult.setErrorCode((e == null ? Errors.NONE : ErrorMapper.toError(e)).code());
                        return null;
                    }));
                }
                markerResult.topics().add(topicResult);
            }
            response.markers().add(markerResult);
        }
        // results are set in place; the futures complete on whichever thread finished the append
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }

    private CompletableFuture<Void> write(TopicPartition tp, WritableTxnMarker marker, TransactionResult result) {
        try {
            if (Topic.GROUP_METADATA_TOPIC_NAME.equals(tp.topic())) {
                return offsetsCompletion.completeTransaction(tp, marker.producerId(), marker.producerEpoch(),
                        marker.coordinatorEpoch(), result, MARKER_TIMEOUT_MS);
            }
            return ctx.replicas().appendTxnMarker(tp, marker.producerId(), marker.producerEpoch(),
                    marker.coordinatorEpoch(), result, MARKER_TIMEOUT_MS).thenApply(info -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
