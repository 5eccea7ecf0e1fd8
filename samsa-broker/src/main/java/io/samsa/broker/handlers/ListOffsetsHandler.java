package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.replica.Partition;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import io.samsa.storage.PartitionLog;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets (API 2, v1-11): earliest (-2, the log start offset), latest (-1, the high watermark; the last stable
 * offset for read_committed from v2, KIP-98), max timestamp (-3, KIP-734), earliest local (-4,
 * KIP-405), latest tiered (-5, none: -1) and by timestamp (the first offset whose timestamp is at or after it, via
 * the time index). No match gives offset -1 and timestamp -1 with error NONE, as Kafka does. Answered by the leader
 * only; a {@code CurrentLeaderEpoch} is checked (KIP-320).
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {
    private final BrokerContext ctx;

    public ListOffsetsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<ListOffsetsResponseData> handle(RequestContext context, ListOffsetsRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            ListOffsetsResponseData response = new ListOffsetsResponseData();
            boolean readCommitted = context.apiVersion() >= 2
                    && request.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
            for (ListOffsetsTopic t : request.topics()) {
                ListOffsetsTopicResponse out = new ListOffsetsTopicResponse().setName(t.name());
                boolean authorized = Acls.topic(ctx, context, AclOperation.DESCRIBE, t.name());
                for (ListOffsetsPartition p : t.partitions()) {
                    if (!authorized) { // Kafka: DESCRIBE on the topic, checked before anything else
                        out.partitions().add(new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setTimestamp(-1L)
                                .setOffset(-1L).setLeaderEpoch(-1));
                        continue;
                    }
                    ListOffsetsPartitionResponse r = lookup(new TopicPartition(t.name(), p.partitionIndex()),
                            p.currentLeaderEpoch(), p.timestamp(), readCommitted);
                    if (context.apiVersion() < 4) {
                        r.setLeaderEpoch(-1); // LeaderEpoch exists from v4 only
                    }
                    out.partitions().add(r);
                }
                response.topics().add(out);
            }
            return response;
        }, ctx.ioPool());
    }

    private ListOffsetsPartitionResponse lookup(TopicPartition tp, int currentLeaderEpoch, long timestamp,
                                                boolean readCommitted) {
        ListOffsetsPartitionResponse out = new ListOffsetsPartitionResponse().setPartitionIndex(tp.partition());
        try {
            Partition partition = ctx.replicas().leaderPartition(tp);
            ReplicaManager.validateLeaderEpoch(partition, currentLeaderEpoch);
            PartitionLog log = partition.log();
            int epoch = Math.max(0, ctx.replicas().leaderEpoch(tp));
            if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
                return out.setErrorCode(Errors.NONE.code()).setTimestamp(RecordBatch.NO_TIMESTAMP).setOffset(-1L)
                        .setLeaderEpoch(-1);
            }
            if (timestamp < 0 && timestamp != ListOffsetsRequest.EARLIEST_TIMESTAMP
                    && timestamp != ListOffsetsRequest.LATEST_TIMESTAMP
                    && timestamp != ListOffsetsRequest.MAX_TIMESTAMP
                    && timestamp != ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                return out.setErrorCode(Errors.INVALID_REQUEST.code()).setTimestamp(-1L).setOffset(-1L);
            }
            if (readCommitted && timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                return out.setErrorCode(Errors.NONE.code()).setTimestamp(RecordBatch.NO_TIMESTAMP)
                        .setOffset(log.lastStableOffset()).setLeaderEpoch(epoch);
            }
            Optional<TimestampAndOffset> found = log.fetchOffsetByTimestamp(timestamp);
            // Offsets at or above the high watermark (the LSO for read_committed) are not visible to consumers yet.
            long lastFetchable = readCommitted ? log.lastStableOffset() : log.highWatermark();
            boolean byTimestamp = timestamp >= 0 || timestamp == ListOffsetsRequest.MAX_TIMESTAMP;
            if (found.isEmpty() || (byTimestamp && found.get().offset >= lastFetchable)) {
                return out.setErrorCode(Errors.NONE.code()).setTimestamp(RecordBatch.NO_TIMESTAMP).setOffset(-1L)
                        .setLeaderEpoch(-1);
            }
            return out.setErrorCode(Errors.NONE.code()).setTimestamp(found.get().timestamp)
                    .setOffset(found.get().offset)
                    .setLeaderEpoch(found.get().leaderEpoch.orElse(epoch));
        } catch (RuntimeException e) {
            return out.setErrorCode(ErrorMapper.toError(e).code()).setTimestamp(-1L).setOffset(-1L);
        }
    }
}
