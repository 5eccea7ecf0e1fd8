package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords (API 21, v0-2; {@code Admin.deleteRecords}, {@code kafka-delete-records.sh}): moves each partition's
 * log start offset up to the requested offset (-1: the high watermark) and deletes the segments wholly below it
 * (Kafka's {@code ReplicaManager.deleteRecords}). Each partition's result carries the new {@code LowWatermark}, which
 * on a single node is the leader's log start offset, or -1 with an error:
 * OFFSET_OUT_OF_RANGE (offset above the high watermark or below -1), POLICY_VIOLATION ({@code cleanup.policy} without
 * {@code delete}), INVALID_TOPIC_EXCEPTION (an internal topic), UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER.
 * The request's {@code TimeoutMs} is not needed: with no followers the low watermark is final at once.
 *
 * <p>Runs on the I/O pool: renaming segment files and writing the checkpoint touch the disk.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {
    /** Kafka's {@code DeleteRecordsResponse.INVALID_LOW_WATERMARK}. */
    static final long INVALID_LOW_WATERMARK = -1L;

    private final BrokerContext ctx;

    public DeleteRecordsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponseData> handle(RequestContext context,
                                                               DeleteRecordsRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            DeleteRecordsResponseData response = new DeleteRecordsResponseData();
            for (DeleteRecordsTopic topic : request.topics()) {
                DeleteRecordsTopicResult out = new DeleteRecordsTopicResult().setName(topic.name());
                boolean authorized = Acls.topic(ctx, context, AclOperation.DELETE, topic.name()); // Kafka: DELETE
                for (DeleteRecordsPartition p : topic.partitions()) {
                    if (!authorized) {
                        out.partitions().add(new DeleteRecordsPartitionResult().setPartitionIndex(p.partitionIndex())
                                .setLowWatermark(INVALID_LOW_WATERMARK)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                        continue;
                    }
                    out.partitions().add(delete(new TopicPartition(topic.name(), p.partitionIndex()), p.offset()));
                }
                response.topics().add(out);
            }
            return response;
        }, ctx.ioPool());
    }

    private DeleteRecordsPartitionResult delete(TopicPartition tp, long offset) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(tp.partition());
        try {
            if (Topic.isInternal(tp.topic())) {
                throw new InvalidTopicException("Cannot delete records of internal topic " + tp.topic());
            }
            long lowWatermark = ctx.replicas().deleteRecords(tp, offset);
            return result.setLowWatermark(lowWatermark).setErrorCode(Errors.NONE.code());
        } catch (RuntimeException e) {
            return result.setLowWatermark(INVALID_LOW_WATERMARK).setErrorCode(ErrorMapper.toError(e).code());
        }
    }
}
