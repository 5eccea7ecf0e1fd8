package io.samsa.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.samsa.broker.handlers.FetchSessionCache;
import io.samsa.broker.replica.DelayedFetchPurgatory;
import io.samsa.broker.replica.Partition;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.MetadataQuorum;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * The gauges, all computed when read (a scrape or a JMX read), none on the request path: replica counts, purgatory
 * sizes, the controller's view, per-partition log gauges, the group coordinator's counts and the consumer lag per
 * group and partition (high watermark minus committed offset, for partitions led here).
 *
 * <p>The per-partition and per-group label sets follow the broker's state at each {@link #refresh()} (every scrape,
 * and periodically for JMX readers). Thread-safe.
 */
final class BrokerGauges {

    /** Where the numbers come from. */
    record Sources(int nodeId, ReplicaManager replicas, MetadataQuorum quorum, DelayedFetchPurgatory fetchPurgatory,
                   FetchSessionCache fetchSessions, Supplier<GroupCoordinator> groups) {
    }

    private final Sources src;
    private final MeterRegistry registry;
    private final MultiGauge logSize;
    private final MultiGauge logEnd;
    private final MultiGauge logStart;
    private final MultiGauge segments;
    private final MultiGauge lag;
    private final MultiGauge committed;
    private volatile GroupSnapshot groups = GroupSnapshot.EMPTY;
    private volatile Map<GroupSnapshot.Offset, Number> lags = Map.of();
    private volatile Map<GroupSnapshot.Offset, Number> committedOffsets = Map.of();

    BrokerGauges(MeterRegistry registry, Sources src) {
        this.registry = registry;
        this.src = src;
        ReplicaManager replicas = src.replicas();
        gauge(KafkaMetrics.PARTITION_COUNT, () -> replicas.hostedPartitions().size());
        gauge(KafkaMetrics.LEADER_COUNT, () -> count(p -> p.isLeader() ? 1 : 0));
        gauge(KafkaMetrics.UNDER_REPLICATED,
                () -> count(p -> p.isLeader() && p.isr().size() < p.replicas().size() ? 1 : 0));
        gauge(KafkaMetrics.UNDER_MIN_ISR, () -> count(p -> p.isLeader()
                && p.isr().size() < replicas.minInsyncReplicas(p.topicPartition().topic()) ? 1 : 0));
        gauge(KafkaMetrics.AT_MIN_ISR, () -> count(p -> p.isLeader()
                && p.isr().size() == replicas.minInsyncReplicas(p.topicPartition().topic()) ? 1 : 0));
        gauge(KafkaMetrics.OFFLINE_REPLICAS, () -> 0);
        FunctionCounter.builder(KafkaMetrics.ISR_SHRINKS.baseName(), replicas, ReplicaManager::isrShrinks)
                .register(registry);
        FunctionCounter.builder(KafkaMetrics.ISR_EXPANDS.baseName(), replicas, ReplicaManager::isrExpands)
                .register(registry);
        Gauge.builder(KafkaMetrics.PURGATORY_SIZE.baseName(), () -> count(Partition::waitingAppends))
                .tag("delayedOperation", "Produce").register(registry);
        Gauge.builder(KafkaMetrics.PURGATORY_SIZE.baseName(), src.fetchPurgatory(), DelayedFetchPurgatory::size)
                .tag("delayedOperation", "Fetch").register(registry);
        gauge(KafkaMetrics.FETCH_SESSIONS, () -> src.fetchSessions().size());
        gauge(KafkaMetrics.FETCH_SESSION_PARTITIONS, () -> src.fetchSessions().cachedPartitions());
        FunctionCounter.builder(KafkaMetrics.FETCH_SESSION_EVICTIONS.baseName(), src.fetchSessions(),
                FetchSessionCache::evictions).register(registry);
        gauge(KafkaMetrics.ACTIVE_CONTROLLER, () -> activeController() ? 1 : 0);
        gauge(KafkaMetrics.OFFLINE_PARTITIONS, () -> activeController() ? offlinePartitions(src.quorum().image()) : 0);
        gauge(KafkaMetrics.GLOBAL_PARTITIONS, () -> activeController()
                ? src.quorum().image().topics().values().stream().mapToInt(t -> t.partitions().size()).sum() : 0);
        gauge(KafkaMetrics.GLOBAL_TOPICS, () -> activeController() ? src.quorum().image().topics().size() : 0);
        gauge(KafkaMetrics.NUM_GROUPS, () -> groups.groups());
        gauge(KafkaMetrics.NUM_OFFSETS, () -> groups.offsets().size());
        for (String state : KafkaMetrics.GROUP_STATES) {
            gauge(KafkaMetrics.groupsIn(state), () -> groups.groupsByState().getOrDefault(state, 0));
        }
        gauge(KafkaMetrics.GROUP_REBALANCES, () -> groups.rebalances());
        logSize = MultiGauge.builder(KafkaMetrics.LOG_SIZE.baseName()).register(registry);
        logEnd = MultiGauge.builder(KafkaMetrics.LOG_END_OFFSET.baseName()).register(registry);
        logStart = MultiGauge.builder(KafkaMetrics.LOG_START_OFFSET.baseName()).register(registry);
        segments = MultiGauge.builder(KafkaMetrics.NUM_LOG_SEGMENTS.baseName()).register(registry);
        lag = MultiGauge.builder(KafkaMetrics.CONSUMER_LAG).register(registry);
        committed = MultiGauge.builder(KafkaMetrics.CONSUMER_OFFSET).register(registry);
    }

    private void gauge(KafkaMetric metric, Supplier<Number> value) {
        Gauge.builder(metric.baseName(), value).strongReference(true).register(registry);
    }

    private int count(ToIntFunction<Partition> each) {
        int n = 0;
        for (Partition p : src.replicas().hostedPartitions()) {
            n += each.applyAsInt(p);
        }
        return n;
    }

    private boolean activeController() {
        return src.quorum().isVoter() && src.quorum().image().controllerId() == src.nodeId();
    }

    private static int offlinePartitions(ClusterImage image) {
        int n = 0;
        for (TopicImage t : image.topics().values()) {
            for (PartitionImage p : t.partitions()) {
                n += p.leader() < 0 ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * Brings the per-partition and per-group rows up to date and reads the group coordinator (on its shards'
     * executors, up to 2 s each). Called before each scrape; blocks the caller, never a request thread.
     */
    void refresh() {
        List<MultiGauge.Row<?>> size = new ArrayList<>();
        List<MultiGauge.Row<?>> end = new ArrayList<>();
        List<MultiGauge.Row<?>> start = new ArrayList<>();
        List<MultiGauge.Row<?>> segs = new ArrayList<>();
        for (Partition p : src.replicas().hostedPartitions()) {
            TopicPartition tp = p.topicPartition();
            Tags tags = Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition()));
            size.add(MultiGauge.Row.of(tags, () -> ofLog(tp, BrokerGauges::sizeInBytes)));
            end.add(MultiGauge.Row.of(tags, () -> ofLog(tp, PartitionLog::logEndOffset)));
            start.add(MultiGauge.Row.of(tags, () -> ofLog(tp, PartitionLog::logStartOffset)));
            segs.add(MultiGauge.Row.of(tags, () -> ofLog(tp, PartitionLog::numberOfSegments)));
        }
        logSize.register(size, false);
        logEnd.register(end, false);
        logStart.register(start, false);
        segments.register(segs, false);
        GroupSnapshot snapshot = GroupSnapshot.of(src.groups().get());
        Map<GroupSnapshot.Offset, Number> newLags = new HashMap<>();
        Map<GroupSnapshot.Offset, Number> newOffsets = new HashMap<>();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> offsetRows = new ArrayList<>();
        for (GroupSnapshot.Offset o : snapshot.offsets()) {
            GroupSnapshot.Offset key = new GroupSnapshot.Offset(o.group(), o.tp(), -1);
            Tags tags = Tags.of("consumergroup", o.group(), "topic", o.tp().topic(), "partition",
                    Integer.toString(o.tp().partition()));
            newOffsets.put(key, o.offset());
            offsetRows.add(MultiGauge.Row.of(tags, () -> committedOffsets.getOrDefault(key, Double.NaN)));
            src.replicas().partitionState(o.tp()).filter(Partition::isLeader).ifPresent(p -> {
                newLags.put(key, Math.max(0, p.log().highWatermark() - o.offset()));
                lagRows.add(MultiGauge.Row.of(tags, () -> lags.getOrDefault(key, Double.NaN)));
            });
        }
        lags = newLags;
        committedOffsets = newOffsets;
        groups = snapshot;
        lag.register(lagRows, false);
        committed.register(offsetRows, false);
    }

    private Number ofLog(TopicPartition tp, ToDoubleFunction<PartitionLog> value) {
        return src.replicas().partitionState(tp).map(p -> (Number) value.applyAsDouble(p.log())).orElse(Double.NaN);
    }

    private static double sizeInBytes(PartitionLog log) {
        long bytes = 0;
        for (LogSegment segment : log.segments()) {
            bytes += segment.size();
        }
        return bytes;
    }
}
