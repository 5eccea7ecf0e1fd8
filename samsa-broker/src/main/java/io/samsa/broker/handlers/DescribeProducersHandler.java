package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import io.samsa.storage.ActiveProducer;
import io.samsa.storage.PartitionLog;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers (API 61, v0 of the pinned jar; KIP-664, {@code Admin.describeProducers},
 * {@code kafka-transactions describe-producers} and {@code find-hanging}): for each requested partition led here, the
 * producers with state in its log (Kafka's {@code handleDescribeProducersRequest}): producer id and epoch, last
 * sequence, last timestamp, coordinator epoch of the last marker and the first offset of the open transaction (-1
 * when none). A partition not led here gets NOT_LEADER_OR_FOLLOWER, an unknown one UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>Runs on the I/O pool (it takes each log's append lock briefly).
 */
public final class DescribeProducersHandler implements ApiHandler<DescribeProducersRequestData> {
    private final BrokerContext ctx;

    public DescribeProducersHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<DescribeProducersResponseData> handle(RequestContext context,
                                                                   DescribeProducersRequestData request) {
        return CompletableFuture.supplyAsync(() -> {
            DescribeProducersResponseData response = new DescribeProducersResponseData();
            for (TopicRequest topic : request.topics()) {
                TopicResponse out = new TopicResponse().setName(topic.name());
                boolean authorized = Acls.topic(ctx, context, AclOperation.READ, topic.name()); // Kafka: READ
                for (int partition : topic.partitionIndexes()) {
                    if (!authorized) {
                        out.partitions().add(new DescribeProducersResponseData.PartitionResponse()
                                .setPartitionIndex(partition).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
                        continue;
                    }
                    out.partitions().add(describe(new TopicPartition(topic.name(), partition)));
                }
                response.topics().add(out);
            }
            return response;
        }, ctx.ioPool());
    }

    private PartitionResponse describe(TopicPartition tp) {
        PartitionResponse out = new PartitionResponse().setPartitionIndex(tp.partition());
        try {
            PartitionLog log = ctx.replicas().leaderLog(tp);
            for (ActiveProducer p : log.activeProducers()) {
                out.activeProducers().add(new ProducerState().setProducerId(p.producerId())
                        .setProducerEpoch(p.producerEpoch()).setLastSequence(p.lastSequence())
                        .setLastTimestamp(p.lastTimestamp()).setCoordinatorEpoch(p.coordinatorEpoch())
                        .setCurrentTxnStartOffset(p.currentTxnStartOffset()));
            }
            return out.setErrorCode(Errors.NONE.code());
        } catch (RuntimeException e) {
            Errors error = ErrorMapper.toError(e);
            return out.setErrorCode(error.code()).setErrorMessage(ErrorMapper.message(e));
        }
    }
}
