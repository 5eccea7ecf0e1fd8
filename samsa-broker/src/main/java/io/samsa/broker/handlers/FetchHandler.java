package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.quota.QuotaType;
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
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * Fetch (API 1, v4-18) for consumers and followers. A follower (replica id >= 0, in {@code ReplicaState} from v15)
 * reports its log end offset with each fetch offset, which the leader records before reading (ISR and high
 * watermark), and reads up to the log end offset; a consumer reads whole batches below the high watermark of each requested partition,
 * within {@code MaxBytes} and each partition's {@code PartitionMaxBytes} (the first batch always whole, KIP-74), and
 * long-polls: when fewer than {@code MinBytes} are available the request is parked until appends bring enough or
 * {@code MaxWaitMs} passes. Topics by name (v4-12) or id (v13+, KIP-516). Incremental fetch sessions (KIP-227, v7+,
 * {@link FetchSession}): a full fetch at epoch 0 opens a session when the cache has a slot
 * ({@code max.incremental.fetch.session.cache.slots}) and is answered with its id; the next fetches name only the
 * partitions whose request changed and those to forget, and are answered with only the partitions that changed;
 * the final epoch (-1) closes it; an unknown session gets FETCH_SESSION_ID_NOT_FOUND, a wrong epoch
 * INVALID_FETCH_SESSION_EPOCH, a session used with and without topic ids FETCH_SESSION_TOPIC_ID_ERROR. Records travel
 * as file regions (sendfile; sections under 16 KiB copied into the response's write). A partition's {@code CurrentLeaderEpoch}
 * is checked (KIP-320: FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH), and NOT_LEADER_OR_FOLLOWER carries the current
 * leader and its endpoint (KIP-951, v16+). A {@code read_committed} consumer ({@code IsolationLevel} 1, KIP-98) reads
 * below the last stable offset and gets the {@code AbortedTransactions} of the range; every response carries the
 * partition's real {@code LastStableOffset}; followers read up to the log end offset whatever they ask. With an
 * authorizer a consumer needs READ on each topic and a follower CLUSTER_ACTION on the cluster
 * (TOPIC_AUTHORIZATION_FAILED, see {@code docs/security/acls.md}).
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {
    private final BrokerContext ctx;
    private final FetchSessionCache sessions;

    /** A handler keeping its fetch sessions in {@code sessions} (shared with the metrics). */
    public FetchHandler(BrokerContext ctx, FetchSessionCache sessions) {
        this.ctx = ctx;
        this.sessions = sessions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext context, FetchRequestData request) {
        short version = context.apiVersion();
        boolean byId = version >= 13;
        int replicaId = replicaId(request, version);
        long now = System.currentTimeMillis();
        FetchSession session = null;
        boolean incremental = false;
        List<FetchSession.Wanted> wanted;
        int epoch = request.sessionEpoch();
        if (epoch == FetchMetadata.INITIAL_EPOCH || epoch == FetchMetadata.FINAL_EPOCH) {
            if (request.sessionId() != FetchMetadata.INVALID_SESSION_ID) {
                sessions.remove(request.sessionId()); // a full fetch closes the session it names
            }
            wanted = wanted(request, byId);
            if (epoch == FetchMetadata.INITIAL_EPOCH && version >= 7) {
                session = sessions.create(replicaId >= 0, byId, now).orElse(null);
                if (session != null) {
                    session.fill(wanted);
                }
            }
        } else {
            Optional<FetchSession> found = sessions.get(request.sessionId(), now);
            if (found.isEmpty()) {
                return sessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
            session = found.get();
            if (session.byTopicId() != byId) {
                return sessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            Optional<List<FetchSession.Wanted>> all = session.apply(epoch, wanted(request, byId),
                    forgotten(request, session));
            if (all.isEmpty()) {
                return sessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            wanted = all.get();
            incremental = true;
        }
        List<FetchedPartition> partitions = resolve(context, wanted, byId, replicaId >= 0);
        int maxBytes = replicaId >= 0 ? request.maxBytes() : quotaCappedMaxBytes(context, request.maxBytes());
        DelayedFetch fetch = new DelayedFetch(ctx, partitions, maxBytes,
                Math.max(1, Math.min(request.minBytes(), maxBytes)),
                version, replicaId, context.listenerName(),
                IsolationLevel.forId(request.isolationLevel()), session, incremental);
        CompletableFuture<FetchResponseData> result = new CompletableFuture<>();
        ctx.ioPool().execute(() -> {
            try {
                if (replicaId >= 0) {
                    fetch.recordFollowerFetch(version >= 15 ? request.replicaState().replicaEpoch() : -1);
                } else if (version >= 11) {
                    fetch.choosePreferredReadReplicas(new ClientMetadata.DefaultClientMetadata(request.rackId(),
                            context.clientId(), context.clientAddress() == null ? null
                            : context.clientAddress().getAddress(), context.principal(), context.listenerName()));
                }
                if (request.maxWaitMs() <= 0 || partitions.isEmpty() || fetch.tryComplete()) {
                    fetch.forceComplete();
                } else if (replicaId < 0) {
                    ctx.purgatory().watch(fetch, fetch.watchedPartitions(), request.maxWaitMs());
                } else {
                    long begun = ctx.replicas().leadershipsBegun();
                    ctx.purgatory().watch(fetch, fetch.watchedPartitions(),
                            ctx.replicas().followerFetchMaxWaitMs(replicaId, request.maxWaitMs()));
                    if (ctx.replicas().leadershipsBegun() != begun) {
                        fetch.forceComplete(); // a leadership it follows may have begun without waking it
                    }
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

    private static CompletableFuture<FetchResponseData> sessionError(Errors error) {
        return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(error.code())
                .setSessionId(FetchMetadata.INVALID_SESSION_ID));
    }

    /** The partitions a request names, in its order. */
    private static List<FetchSession.Wanted> wanted(FetchRequestData request, boolean byId) {
        List<FetchSession.Wanted> out = new ArrayList<>();
        for (FetchTopic t : request.topics()) {
            Uuid topicId = byId ? t.topicId() : Uuid.ZERO_UUID;
            String name = byId ? null : t.topic();
            for (FetchPartition p : t.partitions()) {
                out.add(new FetchSession.Wanted(topicId, name, p.partition(), p.fetchOffset(), p.partitionMaxBytes(),
                        p.currentLeaderEpoch()));
            }
        }
        return out;
    }

    /** The partitions an incremental request removes from its session. */
    private static List<FetchSession.Key> forgotten(FetchRequestData request, FetchSession session) {
        List<FetchSession.Key> out = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic t : request.forgottenTopicsData()) {
            for (int partition : t.partitions()) {
                out.add(session.key(t.topicId(), t.topic(), partition));
            }
        }
        return out;
    }

    /**
     * A consumer's max bytes capped by its {@code consumer_byte_rate} over the quota window (Kafka's
     * {@code maxValueInQuotaWindow}), so that one response never exceeds what the quota allows at once.
     */
    private int quotaCappedMaxBytes(RequestContext context, int maxBytes) {
        if (!ctx.quotas().enabled()) {
            return maxBytes;
        }
        double window = ctx.quotas().maxValueInQuotaWindow(QuotaType.FETCH, context.principal(), context.clientId());
        return (int) Math.max(1, Math.min(maxBytes, window));
    }

    /** The fetching replica's id (v15+ in {@code ReplicaState}), or -1 for a consumer. */
    static int replicaId(FetchRequestData request, short version) {
        int id = version >= 15 ? request.replicaState().replicaId() : request.replicaId();
        return Math.max(-1, id);
    }

    /**
     * The requested partitions against the image, with Kafka's ACL checks: a follower needs CLUSTER_ACTION on the
     * cluster, else every partition gets TOPIC_AUTHORIZATION_FAILED; a consumer needs READ on each topic, checked
     * before whether the topic exists (an unknown topic id stays UNKNOWN_TOPIC_ID). Each topic is looked up and
     * authorized once.
     */
    private List<FetchedPartition> resolve(RequestContext context, List<FetchSession.Wanted> wanted, boolean byId,
                                           boolean follower) {
        ClusterImage image = ctx.image();
        List<FetchedPartition> out = new ArrayList<>(wanted.size());
        RequestAuthorizer authorizer = ctx.authorizer();
        boolean followerRefused = follower && authorizer.enabled() && !authorizer.authorize(context,
                AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, AuthorizedOperations.CLUSTER_NAME);
        Object lastKey = null;
        ResolvedTopic last = null;
        for (FetchSession.Wanted w : wanted) {
            Object key = byId ? w.topicId() : w.topic();
            if (last == null || !key.equals(lastKey)) {
                last = resolveTopic(context, image, authorizer, w, byId, follower, followerRefused);
                lastKey = key;
            }
            out.add(new FetchedPartition(last.name(), last.topicId(), new TopicPartition(last.name(), w.partition()),
                    w.fetchOffset(), w.maxBytes(), w.currentLeaderEpoch(), last.error()));
        }
        return out;
    }

    private ResolvedTopic resolveTopic(RequestContext context, ClusterImage image, RequestAuthorizer authorizer,
                                       FetchSession.Wanted w, boolean byId, boolean follower, boolean followerRefused) {
        Optional<TopicImage> topic = byId
                ? image.topic(new UUID(w.topicId().getMostSignificantBits(), w.topicId().getLeastSignificantBits()))
                : image.topic(w.topic());
        Uuid topicId = topic.map(ti -> ReplicaManager.toKafka(ti.topicId())).orElse(w.topicId());
        String name = topic.map(TopicImage::name).orElse(w.topic());
        boolean refused = followerRefused || (!follower && authorizer.enabled() && name != null
                && !(byId && topic.isEmpty())
                && !authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, name));
        Errors error = Errors.NONE;
        if (refused) {
            error = Errors.TOPIC_AUTHORIZATION_FAILED;
        } else if (topic.isEmpty()) {
            error = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return new ResolvedTopic(name == null ? "" : name, topicId, error);
    }

    private record ResolvedTopic(String name, Uuid topicId, Errors error) {
    }

    /** One requested partition, resolved against the image. */
    record FetchedPartition(String topic, Uuid topicId, TopicPartition tp, long fetchOffset, int maxBytes,
                            int currentLeaderEpoch, Errors error) {
    }
}
