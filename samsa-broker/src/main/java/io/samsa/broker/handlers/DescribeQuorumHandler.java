package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.BrokerConfigDefs;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.QuorumInfo;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Listener;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ListenerCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Node;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.message.DescribeQuorumResponseData.TopicData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeQuorum (API 55, v0-2, KIP-595/KIP-836/KIP-853; {@code Admin.describeMetadataQuorum},
 * {@code kafka-metadata-quorum describe --status/--replication}): the metadata quorum's leader, epoch (Raft term),
 * high watermark (commit index) and each voter's log end offset, last fetch and last caught-up times (ms since the
 * epoch, -1 when unknown), answered for topic {@code __cluster_metadata} partition 0 as Kafka's controller answers.
 * v2 adds the voters' endpoints: one listener per voter, named after the first {@code controller.listener.names}
 * entry (CONTROLLER by default), with the address of {@code controller.quorum.voters} (this node's bound Raft
 * address for itself). Voters carry no directory id (Samsa's voters are static): {@code Uuid.ZERO_UUID}.
 *
 * <p>As Kafka's brokers forward this request to the active controller, a broker that is not on the Raft leader's
 * node asks the broker there ({@link QuorumForwarder}, inter-broker listener, at most one hop, 5 s) and passes its
 * answer on; when the leader's node has no broker endpoint (a controller-only node) or does not answer, this node's
 * own view is returned, in which the followers' offsets and times are -1 (unknown). Any other topic or partition in
 * the request gets UNKNOWN_TOPIC_OR_PARTITION. The local answer is built on the event loop (in-memory Ratis state);
 * a forwarded one on the I/O pool.
 */
public final class DescribeQuorumHandler implements ApiHandler<DescribeQuorumRequestData> {
    /** Kafka's {@code Topic.CLUSTER_METADATA_TOPIC_NAME}. */
    static final String METADATA_TOPIC = "__cluster_metadata";
    private static final String DEFAULT_CONTROLLER_LISTENER = "CONTROLLER";
    private static final Logger LOGGER = LoggerFactory.getLogger(DescribeQuorumHandler.class);

    private final BrokerContext ctx;

    public DescribeQuorumHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<DescribeQuorumResponseData> handle(RequestContext context,
                                                                DescribeQuorumRequestData request) {
        Acls.requireCluster(ctx, context, AclOperation.DESCRIBE);
        QuorumInfo quorum;
        try {
            quorum = ctx.quorum().describeQuorum();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new DescribeQuorumResponseData()
                    .setErrorCode(Errors.NOT_CONTROLLER.code()).setErrorMessage(ErrorMapper.message(e)));
        }
        PartitionData local = partition(quorum);
        int leaderId = quorum.leaderId();
        if (leaderId < 0 || leaderId == ctx.nodeId() || QuorumForwarder.isForwarded(context.clientId())) {
            return CompletableFuture.completedFuture(response(context, request, local, nodes(quorum)));
        }
        String listener = ctx.replicas().settings().interBrokerListener();
        BrokerRegistration leader = ctx.image().brokers().get(leaderId);
        var endpoint = QuorumForwarder.endpoint(leader == null ? List.of() : leader.endpoints(), listener);
        if (endpoint.isEmpty()) {
            return CompletableFuture.completedFuture(response(context, request, local, nodes(quorum)));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                DescribeQuorumResponseData answer = QuorumForwarder.describe(ctx.nodeId(), leaderId, endpoint.get(),
                        listener);
                return response(context, request, answer.topics().getFirst().partitions().getFirst(),
                        answer.nodes().isEmpty() ? nodes(quorum) : answer.nodes().duplicate());
            } catch (IOException | RuntimeException e) {
                LOGGER.debug("DescribeQuorum not forwarded to the quorum leader {}: {}", leaderId, e.toString());
                return response(context, request, local, nodes(quorum));
            }
        }, ctx.ioPool());
    }

    private static DescribeQuorumResponseData response(RequestContext context, DescribeQuorumRequestData request,
                                                       PartitionData quorum,
                                                       DescribeQuorumResponseData.NodeCollection nodes) {
        DescribeQuorumResponseData response = new DescribeQuorumResponseData().setErrorCode(Errors.NONE.code());
        for (DescribeQuorumRequestData.TopicData topic : request.topics()) {
            TopicData out = new TopicData().setTopicName(topic.topicName());
            for (DescribeQuorumRequestData.PartitionData p : topic.partitions()) {
                if (!METADATA_TOPIC.equals(topic.topicName()) || p.partitionIndex() != 0) {
                    out.partitions().add(new PartitionData().setPartitionIndex(p.partitionIndex())
                            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("The metadata quorum is " + METADATA_TOPIC + "-0"));
                    continue;
                }
                out.partitions().add(quorum.duplicate());
            }
            response.topics().add(out);
        }
        if (context.apiVersion() >= 2) {
            response.setNodes(nodes);
        }
        return response;
    }

    static PartitionData partition(QuorumInfo quorum) {
        return new PartitionData().setPartitionIndex(0).setErrorCode(Errors.NONE.code())
                .setLeaderId(quorum.leaderId()).setLeaderEpoch((int) quorum.leaderEpoch())
                .setHighWatermark(quorum.highWatermark())
                .setCurrentVoters(replicas(quorum.voters())).setObservers(replicas(quorum.observers()));
    }

    private static List<ReplicaState> replicas(List<QuorumInfo.ReplicaInfo> infos) {
        return infos.stream().map(r -> new ReplicaState().setReplicaId(r.replicaId())
                .setReplicaDirectoryId(Uuid.ZERO_UUID).setLogEndOffset(r.logEndOffset())
                .setLastFetchTimestamp(r.lastFetchTimestampMs())
                .setLastCaughtUpTimestamp(r.lastCaughtUpTimestampMs())).toList();
    }

    private DescribeQuorumResponseData.NodeCollection nodes(QuorumInfo quorum) {
        List<String> names = ctx.config().values().getList(BrokerConfigDefs.CONTROLLER_LISTENER_NAMES);
        String listener = names.isEmpty() ? DEFAULT_CONTROLLER_LISTENER : names.get(0);
        var nodes = new DescribeQuorumResponseData.NodeCollection();
        for (Map.Entry<Integer, String> voter : ctx.config().controllerQuorumVoters().entrySet()) {
            String address = voter.getKey() == ctx.nodeId() ? ctx.quorum().raftAddress() : voter.getValue();
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(address.substring(colon + 1));
            var listeners = new ListenerCollection();
            listeners.add(new Listener().setName(listener).setHost(host).setPort(port));
            nodes.add(new Node().setNodeId(voter.getKey()).setListeners(listeners));
        }
        return nodes;
    }
}
