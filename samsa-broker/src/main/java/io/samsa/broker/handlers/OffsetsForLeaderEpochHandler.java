package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import io.samsa.storage.EpochEndOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;

/**
 * OffsetsForLeaderEpoch (API 23, v0-4; KIP-101, KIP-279, KIP-320): for each partition, the largest leader epoch at or
 * below the requested one in the leader's epoch cache and where it ends (the start of the next epoch, or the log end
 * offset for the latest). Followers truncate to it after a leader change; consumers use it to detect a log that was
 * truncated under them. Answered by the leader only (NOT_LEADER_OR_FOLLOWER elsewhere); the request's
 * {@code CurrentLeaderEpoch} is checked (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH). An epoch older than every
 * cached one gives UNDEFINED_EPOCH (-1) and UNDEFINED_EPOCH_OFFSET (-1) with error NONE.
 */
public final class OffsetsForLeaderEpochHandler implements ApiHandler<OffsetForLeaderEpochRequestData> {
    private final BrokerContext ctx;

    public OffsetsForLeaderEpochHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponseData> handle(RequestContext context,
                                                                      OffsetForLeaderEpochRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
            // Kafka: CLUSTER_ACTION (followers) or, since KIP-320's consumers use it too, DESCRIBE on each topic
            boolean clusterAction = Acls.clusterQuietly(ctx, context, AclOperation.CLUSTER_ACTION);
            for (OffsetForLeaderTopic t : request.topics()) {
                OffsetForLeaderTopicResult out = new OffsetForLeaderTopicResult().setTopic(t.topic());
                boolean authorized = clusterAction || Acls.topic(ctx, context, AclOperation.DESCRIBE, t.topic());
                for (OffsetForLeaderPartition p : t.partitions()) {
                    if (!authorized) {
                        out.partitions().add(new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                .setPartition(p.partition()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setLeaderEpoch(RecordBatch.NO_PARTITION_LEADER_EPOCH)
                                .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET));
                        continue;
                    }
                    out.partitions().add(lookup(new TopicPartition(t.topic(), p.partition()), p));
                }
                response.topics().add(out);
            }
            return response;
        }, ctx.ioPool());
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset lookup(TopicPartition tp, OffsetForLeaderPartition p) {
        var out = new OffsetForLeaderEpochResponseData.EpochEndOffset().setPartition(tp.partition());
        try {
            Optional<EpochEndOffset> found = ctx.replicas().endOffsetForEpoch(tp, p.currentLeaderEpoch(),
                    p.leaderEpoch());
            return out.setErrorCode(Errors.NONE.code())
                    .setLeaderEpoch(found.map(EpochEndOffset::leaderEpoch).orElse(RecordBatch.NO_PARTITION_LEADER_EPOCH))
                    .setEndOffset(found.map(EpochEndOffset::endOffset)
                            .orElse(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET));
        } catch (RuntimeException e) {
            return out.setErrorCode(ErrorMapper.toError(e).code())
                    .setLeaderEpoch(RecordBatch.NO_PARTITION_LEADER_EPOCH)
                    .setEndOffset(OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET);
        }
    }
}
