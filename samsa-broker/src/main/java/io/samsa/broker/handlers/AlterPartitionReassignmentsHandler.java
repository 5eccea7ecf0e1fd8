package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ControllerException;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.PartitionRef;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments (API 45, v0-1, KIP-455/KIP-860; {@code Admin.alterPartitionReassignments},
 * {@code kafka-reassign-partitions --execute/--cancel}): per partition a target replica list, or null to cancel the
 * reassignment in progress. The controller adds the new replicas, waits for them to join the ISR, then drops the
 * removed ones (moving leadership first when the leader is removed); this call returns once the change is accepted,
 * not when the data has moved ({@code ListPartitionReassignments} shows progress).
 *
 * <p>Per partition: NONE when accepted, else INVALID_REPLICA_ASSIGNMENT (empty or repeated replicas, an unknown
 * broker), NO_REASSIGNMENT_IN_PROGRESS (cancel without one), UNKNOWN_TOPIC_OR_PARTITION, or (v1,
 * {@code AllowReplicationFactorChange=false}) INVALID_REPLICATION_FACTOR when the target has another size than the
 * partition's current replicas (those not being added). A controller failure is given to every partition.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequestData> {
    private final BrokerContext ctx;

    public AlterPartitionReassignmentsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AlterPartitionReassignmentsResponseData> handle(
            RequestContext context, AlterPartitionReassignmentsRequestData request) {
        Acls.requireCluster(ctx, context, AclOperation.ALTER);
        ClusterImage image = ctx.image();
        Map<PartitionRef, Optional<List<Integer>>> targets = new LinkedHashMap<>();
        Map<PartitionRef, Throwable> refused = new LinkedHashMap<>();
        for (ReassignableTopic topic : request.topics()) {
            for (ReassignablePartition p : topic.partitions()) {
                PartitionRef ref = new PartitionRef(topic.name(), p.partitionIndex());
                Optional<List<Integer>> target = Optional.ofNullable(p.replicas()).map(List::copyOf);
                Optional<ControllerException> rfChange = request.allowReplicationFactorChange() ? Optional.empty()
                        : replicationFactorChange(image, ref, target);
                if (rfChange.isPresent()) {
                    refused.put(ref, rfChange.get());
                } else {
                    targets.put(ref, target);
                }
            }
        }
        CompletableFuture<Map<PartitionRef, Optional<ControllerException>>> accepted = targets.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : ctx.quorum().alterPartitionReassignments(targets);
        return accepted.handle((results, failure) -> {
            AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setAllowReplicationFactorChange(request.allowReplicationFactorChange());
            for (ReassignableTopic topic : request.topics()) {
                ReassignableTopicResponse out = new ReassignableTopicResponse().setName(topic.name());
                for (ReassignablePartition p : topic.partitions()) {
                    PartitionRef ref = new PartitionRef(topic.name(), p.partitionIndex());
                    Throwable error = refused.containsKey(ref) ? refused.get(ref)
                            : failure != null ? failure
                            : results.getOrDefault(ref, Optional.empty()).orElse(null);
                    ReassignablePartitionResponse result = new ReassignablePartitionResponse()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.NONE.code())
                            .setErrorMessage(null);
                    if (error != null) {
                        result.setErrorCode(ErrorMapper.toError(error).code())
                                .setErrorMessage(ErrorMapper.message(error));
                    }
                    out.partitions().add(result);
                }
                response.responses().add(out);
            }
            return response;
        });
    }

    /** KIP-860: the refusal when {@code target} changes the partition's replication factor, if it does. */
    static Optional<ControllerException> replicationFactorChange(ClusterImage image, PartitionRef ref,
                                                                 Optional<List<Integer>> target) {
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Optional<PartitionImage> partition = image.topic(ref.topic()).map(TopicImage::partitions)
                .filter(ps -> ref.partition() >= 0 && ref.partition() < ps.size()).map(ps -> ps.get(ref.partition()));
        if (partition.isEmpty()) {
            return Optional.empty();
        }
        int current = partition.get().replicas().size() - partition.get().addingReplicas().size();
        int wanted = target.get().size();
        if (current == wanted) {
            return Optional.empty();
        }
        return Optional.of(new ControllerException(ControllerException.Error.INVALID_REPLICATION_FACTOR,
                "The replication factor is changed from " + current + " to " + wanted
                        + " but AllowReplicationFactorChange is false"));
    }
}
