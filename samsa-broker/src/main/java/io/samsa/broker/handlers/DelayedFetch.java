package io.samsa.broker.handlers;

import io.samsa.broker.handlers.FetchHandler.FetchedPartition;
import io.samsa.broker.replica.DelayedOperation;
import io.samsa.broker.replica.PartitionReadResult;
import io.samsa.broker.replica.ReplicaManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * A consumer fetch, answered when at least {@code minBytes} are readable, a partition has an error, or its
 * {@code max.wait.ms} passes (Kafka's {@code DelayedFetch}). Each check reads the partitions anew, so the answer
 * always carries the newest data and high watermarks.
 */
final class DelayedFetch implements DelayedOperation {
    private final ReplicaManager replicas;
    private final List<FetchedPartition> partitions;
    private final int maxBytes;
    private final int minBytes;
    private final boolean byId;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final CompletableFuture<FetchResponseData> response = new CompletableFuture<>();

    DelayedFetch(ReplicaManager replicas, List<FetchedPartition> partitions, int maxBytes, int minBytes, boolean byId) {
        this.replicas = replicas;
        this.partitions = partitions;
        this.maxBytes = maxBytes;
        this.minBytes = minBytes;
        this.byId = byId;
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

    @Override
    public boolean tryComplete() {
        if (completed.get()) {
            return false;
        }
        List<PartitionReadResult> reads = readAll();
        long bytes = 0;
        for (PartitionReadResult r : reads) {
            if (r.error() != Errors.NONE) {
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
        for (FetchedPartition p : partitions) {
            if (p.error() != Errors.NONE) {
                reads.add(PartitionReadResult.error(p.error()));
                continue;
            }
            int limit = Math.max(0, Math.min(budget, p.maxBytes()));
            PartitionReadResult r = replicas.read(p.tp(), p.fetchOffset(), limit, minOneMessage);
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
        for (int i = 0; i < partitions.size(); i++) {
            FetchedPartition p = partitions.get(i);
            PartitionReadResult r = reads.get(i);
            Object key = byId ? p.topicId() : p.topic();
            FetchResponseData.FetchableTopicResponse topic = topics.computeIfAbsent(key, k ->
                    byId ? new FetchResponseData.FetchableTopicResponse().setTopicId(p.topicId())
                         : new FetchResponseData.FetchableTopicResponse().setTopic(p.topic()));
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(p.tp().partition())
                    .setErrorCode(r.error().code())
                    .setHighWatermark(r.error() == Errors.NONE ? r.highWatermark() : FetchResponse.INVALID_HIGH_WATERMARK)
                    .setLastStableOffset(r.error() == Errors.NONE ? r.highWatermark() : FetchResponse.INVALID_LAST_STABLE_OFFSET)
                    .setLogStartOffset(r.error() == Errors.NONE ? r.logStartOffset() : FetchResponse.INVALID_LOG_START_OFFSET)
                    .setRecords(r.records());
            topic.partitions().add(data);
        }
        return new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0)
                .setResponses(new ArrayList<>(topics.values()));
    }
}
