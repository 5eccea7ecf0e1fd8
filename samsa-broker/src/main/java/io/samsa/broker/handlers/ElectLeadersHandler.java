package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.metadata.ControllerException;
import io.samsa.metadata.PartitionRef;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders (API 43, v0-2, KIP-183/KIP-460; {@code Admin.electLeaders}, {@code kafka-leader-election}): asks the
 * controller to make the preferred replica the leader (PREFERRED, type 0, the only type before v1) or to elect any
 * live replica when no in-sync replica is left (UNCLEAN, type 1), all in one metadata batch.
 *
 * <p>Per partition: NONE when elected, else ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
 * ELIGIBLE_LEADERS_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION with the controller's message. A null
 * {@code TopicPartitions} means every partition of every topic; then, as Kafka's controller does, partitions that
 * already have the desired leader are left out of the answer (each topic still appears). An unknown election type
 * is answered INVALID_REQUEST at the top level. A controller failure (e.g. REQUEST_TIMED_OUT) is given to every
 * requested partition.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequestData> {
    private final BrokerContext ctx;

    public ElectLeadersHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<ElectLeadersResponseData> handle(RequestContext context,
                                                              ElectLeadersRequestData request) {
        Acls.requireCluster(ctx, context, AclOperation.ALTER);
        ElectionType type;
        try {
            type = ElectionType.valueOf(context.apiVersion() == 0 ? ElectionType.PREFERRED.value
                    : request.electionType());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new ElectLeadersResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        boolean all = request.topicPartitions() == null;
        Map<String, List<Integer>> requested = new LinkedHashMap<>();
        if (all) {
            for (TopicImage topic : ctx.image().topics().values()) {
                List<Integer> ids = requested.computeIfAbsent(topic.name(), t -> new ArrayList<>());
                topic.partitions().forEach(p -> ids.add(p.partition()));
            }
        } else {
            for (ElectLeadersRequestData.TopicPartitions t : request.topicPartitions()) {
                requested.computeIfAbsent(t.topic(), k -> new ArrayList<>()).addAll(t.partitions());
            }
        }
        List<PartitionRef> refs = new ArrayList<>();
        requested.forEach((topic, ids) -> ids.forEach(id -> refs.add(new PartitionRef(topic, id))));
        return ctx.quorum().electLeaders(type == ElectionType.UNCLEAN, refs)
                .handle((results, failure) -> response(requested, results, failure, all));
    }

    static ElectLeadersResponseData response(Map<String, List<Integer>> requested,
                                             Map<PartitionRef, Optional<ControllerException>> results,
                                             Throwable failure, boolean all) {
        ElectLeadersResponseData response = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
        requested.forEach((topic, ids) -> {
            ReplicaElectionResult out = new ReplicaElectionResult().setTopic(topic);
            for (int id : ids) {
                Throwable error = failure != null ? failure : results.getOrDefault(new PartitionRef(topic, id),
                        Optional.of(new ControllerException(ControllerException.Error.UNKNOWN_SERVER_ERROR,
                                "The controller gave no result for this partition"))).orElse(null);
                PartitionResult result = new PartitionResult().setPartitionId(id).setErrorCode(Errors.NONE.code())
                        .setErrorMessage(null);
                if (error != null) {
                    Errors code = ErrorMapper.toError(error);
                    if (all && code == Errors.ELECTION_NOT_NEEDED) {
                        continue;
                    }
                    result.setErrorCode(code.code()).setErrorMessage(ErrorMapper.message(error));
                }
                out.partitionResult().add(result);
            }
            response.replicaElectionResults().add(out);
        });
        return response;
    }
}
