package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.PartitionRef;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListPartitionReassignments (API 46, v0-1, KIP-455; {@code Admin.listPartitionReassignments},
 * {@code kafka-reassign-partitions --verify/--list}): the partitions with a reassignment in progress, each with its
 * full replica list (targets plus those being removed), the replicas being added and those being removed. A null
 * {@code Topics} lists every such partition; otherwise only the requested ones, and, as Kafka, unknown topics or
 * partitions and partitions without a reassignment are simply left out. Read from the metadata image on the event
 * loop.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequestData> {
    private final BrokerContext ctx;

    public ListPartitionReassignmentsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<ListPartitionReassignmentsResponseData> handle(
            RequestContext context, ListPartitionReassignmentsRequestData request) {
        Acls.requireCluster(ctx, context, AclOperation.DESCRIBE);
        Map<PartitionRef, PartitionImage> ongoing = ctx.quorum().listPartitionReassignments();
        Map<String, OngoingTopicReassignment> topics = new LinkedHashMap<>();
        if (request.topics() == null) {
            ongoing.forEach((ref, p) -> add(topics, ref, p));
        } else {
            for (ListPartitionReassignmentsTopics topic : request.topics()) {
                for (int index : topic.partitionIndexes()) {
                    PartitionRef ref = new PartitionRef(topic.name(), index);
                    PartitionImage p = ongoing.get(ref);
                    if (p != null) {
                        add(topics, ref, p);
                    }
                }
            }
        }
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code()).setTopics(new java.util.ArrayList<>(topics.values())));
    }

    private static void add(Map<String, OngoingTopicReassignment> topics, PartitionRef ref, PartitionImage p) {
        topics.computeIfAbsent(ref.topic(), name -> new OngoingTopicReassignment().setName(name)).partitions()
                .add(new OngoingPartitionReassignment().setPartitionIndex(ref.partition())
                        .setReplicas(p.replicas()).setAddingReplicas(p.addingReplicas())
                        .setRemovingReplicas(p.removingReplicas()));
    }
}
