package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.broker.security.AuthorizedOperations;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * Fetch (API 1, v4-18) for consumers and followers. A follower (replica id >= 0, in {@code ReplicaState} from v15)
 * reports its log end offset with each fetch offset, which the leader records before reading (ISR and high
 * watermark), and reads up to the log end offset; a consumer reads whole batches below the high watermark of each requested partition,
 * within {@code MaxBytes} and each partition's {@code PartitionMaxBytes} (the first batch always whole, KIP-74), and
 * long-polls: when fewer than {@code MinBytes} are available the request is parked until appends bring enough or
 * {@code MaxWaitMs} passes. Topics by name (v4-12) or id (v13+, KIP-516). Sessionless (KIP-227): every response is a
 * full response with session id 0, answering every requested partition; an incremental request gets
 * FETCH_SESSION_ID_NOT_FOUND. Records travel as file regions (sendfile). A partition's {@code CurrentLeaderEpoch}
 * is checked (KIP-320: FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH), and NOT_LEADER_OR_FOLLOWER carries the current
 * leader and its endpoint (KIP-951, v16+). A {@code read_committed} consumer ({@code IsolationLevel} 1, KIP-98) reads
 * below the last stable offset and gets the {@code AbortedTransactions} of the range; every response carries the
 * partition's real {@code LastStableOffset}; followers read up to the log end offset whatever they ask. With an
 * authorizer a consumer needs READ on each topic and a follower CLUSTER_ACTION on the cluster
 * (TOPIC_AUTHORIZATION_FAILED, see {@code docs/security/acls.md}).
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {
    private final BrokerContext ctx;

    public FetchHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext context, FetchRequestData request) {
        if (request.sessionId() != FetchMetadata.INVALID_SESSION_ID
                || (request.sessionEpoch() != FetchMetadata.INITIAL_EPOCH
                    && request.sessionEpoch() != FetchMetadata.FINAL_EPOCH)) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()).setSessionId(0));
        }
        int replicaId = replicaId(request, context.apiVersion());
        List<FetchedPartition> partitions = resolve(context, request, context.apiVersion() >= 13, replicaId >= 0);
        DelayedFetch fetch = new DelayedFetch(ctx, partitions, request.maxBytes(), Math.max(1, request.minBytes()),
                context.apiVersion(), replicaId, context.listenerName(),
                IsolationLevel.forId(request.isolationLevel()));
        CompletableFuture<FetchResponseData> result = new CompletableFuture<>();
        ctx.ioPool().execute(() -> {
            try {
                if (replicaId >= 0) {
                    fetch.recordFollowerFetch();
                } else if (context.apiVersion() >= 11) {
                    fetch.choosePreferredReadReplicas(new ClientMetadata.DefaultClientMetadata(request.rackId(),
                            context.clientId(), context.clientAddress() == null ? null
                            : context.clientAddress().getAddress(), KafkaPrincipal.ANONYMOUS, context.listenerName()));
                }
                if (request.maxWaitMs() <= 0 || partitions.isEmpty() || fetch.tryComplete()) {
                    fetch.forceComplete();
                } else {
                    ctx.purgatory().watch(fetch, fetch.watchedPartitions(), request.maxWaitMs());
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        fetch.response().whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        });
        return result;
    }

    /** The fetching replica's id (v15+ in {@code ReplicaState}), or -1 for a consumer. */
    static int replicaId(FetchRequestData request, short version) {
        int id = version >= 15 ? request.replicaState().replicaId() : request.replicaId();
        return Math.max(-1, id);
    }

    /**
     * The requested partitions against the image, with Kafka's ACL checks: a follower needs CLUSTER_ACTION on the
     * cluster, else every partition gets TOPIC_AUTHORIZATION_FAILED; a consumer needs READ on each topic, checked
     * before whether the topic exists (an unknown topic id stays UNKNOWN_TOPIC_ID).
     */
    private List<FetchedPartition> resolve(RequestContext context, FetchRequestData request, boolean byId,
                                           boolean follower) {
        ClusterImage image = ctx.image();
        List<FetchedPartition> out = new ArrayList<>();
        RequestAuthorizer authorizer = ctx.authorizer();
        boolean followerRefused = follower && authorizer.enabled() && !authorizer.authorize(context,
                AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, AuthorizedOperations.CLUSTER_NAME);
        for (FetchTopic t : request.topics()) {
            Optional<TopicImage> topic = byId
                    ? image.topic(new UUID(t.topicId().getMostSignificantBits(), t.topicId().getLeastSignificantBits()))
                    : image.topic(t.topic());
            Uuid topicId = topic.map(ti -> ReplicaManager.toKafka(ti.topicId())).orElse(t.topicId());
            String name = topic.map(TopicImage::name).orElse(t.topic());
            boolean refused = followerRefused || (!follower && authorizer.enabled() && name != null
                    && !(byId && topic.isEmpty())
                    && !authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, name));
            for (FetchPartition p : t.partitions()) {
                Errors error = Errors.NONE;
                if (refused) {
                    error = Errors.TOPIC_AUTHORIZATION_FAILED;
                } else if (topic.isEmpty()) {
                    error = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
                out.add(new FetchedPartition(name == null ? "" : name, topicId,
                        new TopicPartition(name == null ? "" : name, p.partition()), p.fetchOffset(),
                        p.partitionMaxBytes(), p.currentLeaderEpoch(), error));
            }
        }
        return out;
    }

    /** One requested partition, resolved against the image. */
    record FetchedPartition(String topic, Uuid topicId, TopicPartition tp, long fetchOffset, int maxBytes,
                            int currentLeaderEpoch, Errors error) {
    }
}
