package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.handlers.FetchHandler.FetchedPartition;
import io.samsa.metadata.ClusterImage;
import io.samsa.broker.replica.DelayedOperation;
import io.samsa.broker.replica.PartitionReadResult;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.storage.txn.AbortedTxn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * A consumer's or follower's fetch, answered when at least {@code minBytes} are readable, a partition has an error, or its
 * {@code max.wait.ms} passes (Kafka's {@code DelayedFetch}). Each check reads the partitions anew, so the answer
 * always carries the newest data, high watermarks and last stable offsets. A {@code read_committed} consumer (KIP-98)
 * reads below the last stable offset, which moves only with the high watermark (a marker holds it until the high
 * watermark passes it), so the wake-ups on high watermark changes also wake it. With an incremental fetch session
 * (KIP-227) the response names the session and, for an incremental fetch, carries only the partitions that changed.
 */
final class DelayedFetch implements DelayedOperation {
    private final BrokerContext ctx;
    private final ReplicaManager replicas;
    private final List<FetchedPartition> partitions;
    private final int maxBytes;
    private final int minBytes;
    private final boolean byId;
    private final short version;
    private final int replicaId;
    private final String listener;
    /** {@code read_committed} (KIP-98): consumers read below the last stable offset, with the aborted transactions. */
    private final IsolationLevel isolation;
    /** Per partition: the error found when the follower's fetch was recorded (NONE, or why it was not). */
    private Errors[] followerErrors;
    /** Per partition: the replica a consumer should read from instead (KIP-392), -1 for none; null when not asked. */
    private int[] preferredReplicas;
    /** The fetch session answered (KIP-227), null for a sessionless fetch. */
    private final FetchSession session;
    /** True when only the partitions that changed are answered. */
    private final boolean incremental;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final CompletableFuture<FetchResponseData> response = new CompletableFuture<>();

    DelayedFetch(BrokerContext ctx, List<FetchedPartition> partitions, int maxBytes, int minBytes, short version,
                 int replicaId, String listener, IsolationLevel isolation, FetchSession session, boolean incremental) {
        this.session = session;
        this.incremental = incremental;
        this.isolation = replicaId >= 0 ? IsolationLevel.READ_UNCOMMITTED : isolation;
        this.ctx = ctx;
        this.replicas = ctx.replicas();
        this.partitions = partitions;
        this.maxBytes = maxBytes;
        this.minBytes = minBytes;
        this.byId = version >= 13;
        this.version = version;
        this.replicaId = replicaId;
        this.listener = listener;
    }

    /**
     * A follower's fetch offsets are its log end offsets: records them on each leader partition once, before the
     * first read (they may move the high watermark and the ISR).
     *
     * @param replicaEpoch the follower's broker epoch named in the request (KIP-903), -1 when none
     */
    void recordFollowerFetch(long replicaEpoch) {
        Errors[] errors = new Errors[partitions.size()];
        for (int i = 0; i < partitions.size(); i++) {
            FetchedPartition p = partitions.get(i);
            errors[i] = p.error() != Errors.NONE ? p.error()
                    : replicas.updateFollowerFetchState(p.tp(), replicaId, replicaEpoch, p.currentLeaderEpoch(),
                    p.fetchOffset());
        }
        followerErrors = errors;
    }

    CompletableFuture<FetchResponseData> response() {
        return response;
    }

    List<TopicPartition> watchedPartitions() {
        List<TopicPartition> out = new ArrayList<>(partitions.size());
        for (FetchedPartition p : partitions) {
            out.add(p.tp());
        }
        return out;
    }

    /**
     * KIP-392: for a consumer fetch (v11+) on a leader with a {@code replica.selector.class}, the replica each
     * partition should be read from; such partitions are answered at once, without records, naming it.
     */
    void choosePreferredReadReplicas(ClientMetadata client) {
        int[] chosen = new int[partitions.size()];
        boolean any = false;
        for (int i = 0; i < partitions.size(); i++) {
            FetchedPartition p = partitions.get(i);
            chosen[i] = p.error() != Errors.NONE ? -1
                    : replicas.preferredReadReplica(p.tp(), p.fetchOffset(), client).orElse(-1);
            any |= chosen[i] >= 0;
        }
        preferredReplicas = any ? chosen : null;
    }

    private boolean redirected(int i) {
        return preferredReplicas != null && preferredReplicas[i] >= 0;
    }

    @Override
    public boolean tryComplete() {
        if (completed.get()) {
            return false;
        }
        List<PartitionReadResult> reads = readAll();
        long bytes = 0;
        for (int i = 0; i < reads.size(); i++) {
            PartitionReadResult r = reads.get(i);
            if (r.error() != Errors.NONE || redirected(i)) {
                return complete(reads);
            }
            bytes += r.sizeInBytes();
        }
        return bytes >= minBytes && complete(reads);
    }

    @Override
    public void forceComplete() {
        if (!completed.get()) {
            complete(readAll());
        }
    }

    @Override
    public int replicaId() {
        return replicaId;
    }

    @Override
    public boolean isCompleted() {
        return completed.get();
    }

    private boolean complete(List<PartitionReadResult> reads) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        try {
            response.complete(build(reads));
        } catch (RuntimeException e) {
            response.completeExceptionally(e);
        }
        return true;
    }

    private List<PartitionReadResult> readAll() {
        List<PartitionReadResult> reads = new ArrayList<>(partitions.size());
        int budget = maxBytes;
        boolean minOneMessage = true;
        for (int i = 0; i < partitions.size(); i++) {
            FetchedPartition p = partitions.get(i);
            Errors error = followerErrors != null ? followerErrors[i] : p.error();
            if (error != Errors.NONE) {
                reads.add(PartitionReadResult.error(error));
                continue;
            }
            int limit = redirected(i) ? 0 : Math.max(0, Math.min(budget, p.maxBytes()));
            PartitionReadResult r;
            if (replicaId >= 0) {
                r = replicas.readForFollower(p.tp(), p.currentLeaderEpoch(), p.fetchOffset(), limit, minOneMessage);
            } else if (version >= 11) {
                r = replicas.readFromReplica(p.tp(), p.currentLeaderEpoch(), p.fetchOffset(), limit,
                        minOneMessage && !redirected(i), isolation);
            } else {
                r = replicas.read(p.tp(), p.currentLeaderEpoch(), p.fetchOffset(), limit, minOneMessage, isolation);
            }
            reads.add(r);
            if (r.sizeInBytes() > 0) {
                minOneMessage = false;
                budget = Math.max(0, budget - r.sizeInBytes());
            }
        }
        return reads;
    }

    private FetchResponseData build(List<PartitionReadResult> reads) {
        Map<Object, FetchResponseData.FetchableTopicResponse> topics = new LinkedHashMap<>();
        FetchResponseData.NodeEndpointCollection endpoints = new FetchResponseData.NodeEndpointCollection();
        ClusterImage image = null;
        List<FetchSession.Key> withRecords = incremental ? new ArrayList<>() : null;
        for (int i = 0; i < partitions.size(); i++) {
            FetchedPartition p = partitions.get(i);
            PartitionReadResult r = reads.get(i);
            Object key = byId ? p.topicId() : p.topic();
            boolean ok = r.error() == Errors.NONE;
            long highWatermark = ok ? r.highWatermark() : FetchResponse.INVALID_HIGH_WATERMARK;
            long lastStableOffset = ok ? r.lastStableOffset() : FetchResponse.INVALID_LAST_STABLE_OFFSET;
            long logStartOffset = ok || r.logStartOffset() >= 0 ? r.logStartOffset()
                    : FetchResponse.INVALID_LOG_START_OFFSET;
            int preferredReplica = redirected(i) && ok ? preferredReplicas[i] : -1;
            if (session != null) {
                FetchSession.Key sessionKey = session.key(p.topicId(), p.topic(), p.tp().partition());
                if (!session.mustRespond(sessionKey, r.error(), highWatermark, lastStableOffset, logStartOffset,
                        preferredReplica, r.sizeInBytes()) && incremental) {
                    continue; // nothing the client does not know yet
                }
                if (incremental && r.sizeInBytes() > 0) {
                    withRecords.add(sessionKey);
                }
            }
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(p.tp().partition())
                    .setErrorCode(r.error().code())
                    .setHighWatermark(highWatermark)
                    .setLastStableOffset(lastStableOffset)
                    .setLogStartOffset(logStartOffset)
                    .setRecords(r.records());
            if (replicaId < 0 && r.sizeInBytes() > 0) {
                replicas.traffic().fetched(p.tp().topic(), r.sizeInBytes());
            }
            if (r.abortedTransactions() != null) {
                List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>(r.abortedTransactions().size());
                for (AbortedTxn txn : r.abortedTransactions()) {
                    aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                            .setFirstOffset(txn.firstOffset()));
                }
                data.setAbortedTransactions(aborted);
            }
            if (preferredReplica >= 0) {
                data.setPreferredReadReplica(preferredReplica);
            }
            if (version >= 12 && LeaderHint.wanted(r.error())) {
                image = image == null ? ctx.image() : image;
                LeaderHint.of(image, p.tp(), listener).ifPresent(hint -> {
                    data.currentLeader().setLeaderId(hint.leaderId()).setLeaderEpoch(hint.leaderEpoch());
                    if (version >= 16 && hint.endpoint().isPresent()
                            && endpoints.find(hint.leaderId()) == null) {
                        endpoints.add(new FetchResponseData.NodeEndpoint().setNodeId(hint.leaderId())
                                .setHost(hint.endpoint().get().host()).setPort(hint.endpoint().get().port())
                                .setRack(hint.rack()));
                    }
                });
            }
            topics.computeIfAbsent(key, k -> byId
                    ? new FetchResponseData.FetchableTopicResponse().setTopicId(p.topicId())
                    : new FetchResponseData.FetchableTopicResponse().setTopic(p.topic())).partitions().add(data);
        }
        if (withRecords != null && !withRecords.isEmpty()) {
            session.moveToEnd(withRecords);
        }
        FetchResponseData response = new FetchResponseData().setErrorCode(Errors.NONE.code())
                .setSessionId(session == null ? 0 : session.id())
                .setResponses(new ArrayList<>(topics.values()));
        if (!endpoints.isEmpty()) {
            response.setNodeEndpoints(endpoints);
        }
        return response;
    }
}
