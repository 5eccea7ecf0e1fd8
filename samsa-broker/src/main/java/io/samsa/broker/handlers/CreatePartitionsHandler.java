package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions (API 37, v0-3; KIP-195): grows topics to a new partition count, with {@code validate_only}. The
 * new partitions are placed by the controller like a new topic's and are usable as soon as the response is sent: the
 * metadata image already lists them, and the first produce creates the log if the replica manager has not yet.
 *
 * <p>Errors, as Kafka 4.3: unknown topic → UNKNOWN_TOPIC_OR_PARTITION; a count that is not an increase →
 * INVALID_PARTITIONS ("Topic already has 3 partition(s)." / "The topic t currently has 3 partition(s); 2 would not be
 * an increase."); a topic named twice → INVALID_REQUEST ("Duplicate topic in request."); manual assignments whose
 * number differs from the number of new partitions → INVALID_REPLICA_ASSIGNMENT. Manual assignments are otherwise
 * accepted only when they are trivially what Samsa would choose — every new partition on this node alone, and this
 * node the only broker — and refused with INVALID_REQUEST in any other case (replica reassignment is not implemented).
 *
 * <p>Non-blocking: completes when the quorum has applied (or refused) each topic.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {
    private final BrokerContext ctx;

    public CreatePartitionsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(RequestContext context,
                                                                  CreatePartitionsRequestData request) {
        Map<String, Integer> seen = new HashMap<>();
        for (CreatePartitionsTopic t : request.topics()) {
            seen.merge(t.name(), 1, Integer::sum);
        }
        List<CompletableFuture<CreatePartitionsTopicResult>> results = new ArrayList<>();
        for (CreatePartitionsTopic t : request.topics()) {
            if (seen.get(t.name()) > 1) {
                results.add(CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REQUEST,
                        "Duplicate topic in request.")));
            } else if (!Acls.topic(ctx, context, AclOperation.ALTER, t.name())) { // Kafka: ALTER on the topic
                results.add(CompletableFuture.completedFuture(result(t.name(), Errors.TOPIC_AUTHORIZATION_FAILED,
                        null)));
            } else {
                results.add(grow(t, request.validateOnly()));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            var response = new CreatePartitionsResponseData();
            results.forEach(r -> response.results().add(r.join()));
            return response;
        });
    }

    private CompletableFuture<CreatePartitionsTopicResult> grow(CreatePartitionsTopic t, boolean validateOnly) {
        ClusterImage image = ctx.image();
        if (t.assignments() != null) {
            TopicImage topic = image.topics().get(t.name());
            if (topic != null && t.count() > topic.partitions().size()) {
                int additional = t.count() - topic.partitions().size();
                if (t.assignments().size() != additional) {
                    return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Attempted to add " + additional + " additional partition(s), but only "
                                    + t.assignments().size() + " assignment(s) were specified."));
                }
                if (!triviallySatisfiable(image, t.assignments())) {
                    return CompletableFuture.completedFuture(result(t.name(), Errors.INVALID_REQUEST,
                            "Manual replica assignment is not supported yet: only assignments to this single node ("
                                    + ctx.nodeId() + ") are accepted"));
                }
            }
        }
        return ctx.quorum().createPartitions(t.name(), t.count(), validateOnly).handle((topic, error) ->
                error == null ? result(t.name(), Errors.NONE, null)
                        : result(t.name(), ErrorMapper.toError(error), ErrorMapper.message(error)));
    }

    private boolean triviallySatisfiable(ClusterImage image, List<CreatePartitionsAssignment> assignments) {
        boolean onlyThisNode = image.brokers().values().stream().filter(b -> !b.fenced())
                .map(BrokerRegistration::nodeId).allMatch(id -> id == ctx.nodeId());
        return onlyThisNode && assignments.stream().allMatch(a -> a.brokerIds().equals(List.of(ctx.nodeId())));
    }

    private static CreatePartitionsTopicResult result(String name, Errors error, String message) {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(error.code()).setErrorMessage(message);
    }
}
