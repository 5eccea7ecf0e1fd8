package io.samsa.broker.metrics;

import static io.samsa.broker.metrics.KafkaMetric.gauge;
import static io.samsa.broker.metrics.KafkaMetric.histogram;
import static io.samsa.broker.metrics.KafkaMetric.meter;

import java.util.List;

/**
 * Every Kafka metric Samsa exports, by Kafka's MBean name (docs/operations/metrics.md lists them with their Prometheus
 * names). Sources: Kafka's {@code BrokerTopicMetrics}, {@code RequestMetrics}, {@code ReplicaManager},
 * {@code DelayedOperationPurgatory}, {@code KafkaController}, {@code Log}, {@code LogFlushStats},
 * {@code GroupMetadataManager} and {@code GroupCoordinatorMetrics}.
 */
public final class KafkaMetrics {
    private KafkaMetrics() {
    }

    private static final String SERVER = "kafka.server";
    private static final String NETWORK = "kafka.network";
    private static final String LOG = "kafka.log";
    private static final String CONTROLLER = "kafka.controller";
    private static final String GROUP = "kafka.coordinator.group";

    // per topic, per produce/fetch: BrokerTopicMetrics
    public static final KafkaMetric MESSAGES_IN = meter(SERVER, "BrokerTopicMetrics", "MessagesInPerSec", "topic");
    public static final KafkaMetric BYTES_IN = meter(SERVER, "BrokerTopicMetrics", "BytesInPerSec", "topic");
    public static final KafkaMetric BYTES_OUT = meter(SERVER, "BrokerTopicMetrics", "BytesOutPerSec", "topic");
    public static final KafkaMetric TOTAL_PRODUCE_REQUESTS =
            meter(SERVER, "BrokerTopicMetrics", "TotalProduceRequestsPerSec", "topic");
    public static final KafkaMetric TOTAL_FETCH_REQUESTS =
            meter(SERVER, "BrokerTopicMetrics", "TotalFetchRequestsPerSec", "topic");

    // per request: RequestMetrics
    public static final KafkaMetric REQUESTS = meter(NETWORK, "RequestMetrics", "RequestsPerSec", "request", "version");
    public static final KafkaMetric TOTAL_TIME = histogram(NETWORK, "RequestMetrics", "TotalTimeMs", "request");
    public static final KafkaMetric REQUEST_QUEUE_TIME =
            histogram(NETWORK, "RequestMetrics", "RequestQueueTimeMs", "request");
    public static final KafkaMetric LOCAL_TIME = histogram(NETWORK, "RequestMetrics", "LocalTimeMs", "request");
    public static final KafkaMetric RESPONSE_QUEUE_TIME =
            histogram(NETWORK, "RequestMetrics", "ResponseQueueTimeMs", "request");

    // replication: ReplicaManager
    public static final KafkaMetric UNDER_REPLICATED = gauge(SERVER, "ReplicaManager", "UnderReplicatedPartitions");
    public static final KafkaMetric UNDER_MIN_ISR = gauge(SERVER, "ReplicaManager", "UnderMinIsrPartitionCount");
    public static final KafkaMetric AT_MIN_ISR = gauge(SERVER, "ReplicaManager", "AtMinIsrPartitionCount");
    public static final KafkaMetric OFFLINE_REPLICAS = gauge(SERVER, "ReplicaManager", "OfflineReplicaCount");
    public static final KafkaMetric PARTITION_COUNT = gauge(SERVER, "ReplicaManager", "PartitionCount");
    public static final KafkaMetric LEADER_COUNT = gauge(SERVER, "ReplicaManager", "LeaderCount");
    public static final KafkaMetric ISR_SHRINKS = meter(SERVER, "ReplicaManager", "IsrShrinksPerSec");
    public static final KafkaMetric ISR_EXPANDS = meter(SERVER, "ReplicaManager", "IsrExpandsPerSec");
    public static final KafkaMetric PURGATORY_SIZE =
            gauge(SERVER, "DelayedOperationPurgatory", "PurgatorySize", "delayedOperation");
    // incremental fetch sessions (KIP-227): FetchSessionCache
    public static final KafkaMetric FETCH_SESSIONS = gauge(SERVER, "FetchSessionCache", "NumIncrementalFetchSessions");
    public static final KafkaMetric FETCH_SESSION_PARTITIONS =
            gauge(SERVER, "FetchSessionCache", "NumIncrementalFetchPartitionsCached");
    public static final KafkaMetric FETCH_SESSION_EVICTIONS =
            meter(SERVER, "FetchSessionCache", "IncrementalFetchSessionEvictionsPerSec");

    // controller: KafkaController (the active controller's view; 0 elsewhere, as Kafka)
    public static final KafkaMetric ACTIVE_CONTROLLER = gauge(CONTROLLER, "KafkaController", "ActiveControllerCount");
    public static final KafkaMetric OFFLINE_PARTITIONS = gauge(CONTROLLER, "KafkaController", "OfflinePartitionsCount");
    public static final KafkaMetric GLOBAL_PARTITIONS = gauge(CONTROLLER, "KafkaController", "GlobalPartitionCount");
    public static final KafkaMetric GLOBAL_TOPICS = gauge(CONTROLLER, "KafkaController", "GlobalTopicCount");

    // logs: Log, LogFlushStats
    public static final KafkaMetric LOG_SIZE = gauge(LOG, "Log", "Size", "topic", "partition");
    public static final KafkaMetric LOG_END_OFFSET = gauge(LOG, "Log", "LogEndOffset", "topic", "partition");
    public static final KafkaMetric LOG_START_OFFSET = gauge(LOG, "Log", "LogStartOffset", "topic", "partition");
    public static final KafkaMetric NUM_LOG_SEGMENTS = gauge(LOG, "Log", "NumLogSegments", "topic", "partition");
    public static final KafkaMetric LOG_FLUSH = histogram(LOG, "LogFlushStats", "LogFlushRateAndTimeMs");

    // group coordinator: GroupMetadataManager (classic names; every group type counted)
    public static final KafkaMetric NUM_GROUPS = gauge(GROUP, "GroupMetadataManager", "NumGroups");
    public static final KafkaMetric NUM_OFFSETS = gauge(GROUP, "GroupMetadataManager", "NumOffsets");
    /** {@code NumGroups<State>} for each classic state name, e.g. {@code NumGroupsStable}. */
    public static final List<String> GROUP_STATES =
            List.of("Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Assigning", "Reconciling");
    /** Rebalances (generations) of the groups this broker coordinates. */
    public static final KafkaMetric GROUP_REBALANCES =
            gauge(SERVER, "group-coordinator-metrics", "group-rebalance-count");

    public static KafkaMetric groupsIn(String state) {
        return gauge(GROUP, "GroupMetadataManager", "NumGroups" + state);
    }

    /**
     * Consumer lag: no Kafka broker MBean; named as the widely used {@code kafka_exporter} names it
     * ({@code kafka_consumergroup_lag{consumergroup,topic,partition}}), which Kafka dashboards read.
     */
    public static final String CONSUMER_LAG = "kafka_consumergroup_lag";
    /** The committed offset per group and partition ({@code kafka_exporter}'s name). */
    public static final String CONSUMER_OFFSET = "kafka_consumergroup_current_offset";
}
