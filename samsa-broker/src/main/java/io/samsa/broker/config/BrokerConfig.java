package io.samsa.broker.config;

import static io.samsa.broker.config.BrokerConfigDefs.*;

import io.samsa.storage.LogConfig;
import java.nio.file.Path;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's settings, parsed once from Kafka-style properties ({@code server.properties} plus overrides) with
 * Kafka's key names and defaults ({@link BrokerConfigDefs}). Immutable and thread-safe. Sizes are in bytes, times in
 * milliseconds.
 *
 * <p>Listeners named in {@code controller.listener.names} belong to the metadata quorum, whose address comes from
 * {@link #controllerQuorumVoters}: they are left out of {@link #listeners} and {@link #advertisedListeners}, which
 * serve Kafka clients. A listener on port 0 binds an ephemeral port; the broker must advertise the bound port.
 *
 * @param nodeId                    {@code node.id} (default 1; {@code broker.id} accepted as its alias)
 * @param listeners                 client listeners from {@code listeners} (default {@code PLAINTEXT://localhost:9092});
 *                                  an empty host means all interfaces
 * @param advertisedListeners       {@code advertised.listeners} (default: the listeners, with an empty, 0.0.0.0 or
 *                                  :: host advertised as {@code localhost} so that zero-config works locally)
 * @param logDirs                   {@code log.dirs} / {@code log.dir} (default {@code ./samsa-data})
 * @param metadataLogDir            {@code metadata.log.dir} (default: first log dir + {@code /__samsa_metadata} on a
 *                                  voter, the first log dir itself on a broker-only node)
 * @param controllerQuorumVoters    {@code controller.quorum.voters} as id to host:port, in the given order
 *                                  (default: the single {@code controller.quorum.bootstrap.servers} entry for this node,
 *                                  else this node at {@code localhost:0})
 * @param numPartitions             {@code num.partitions} (default 1)
 * @param defaultReplicationFactor  {@code default.replication.factor} (default 1)
 * @param autoCreateTopicsEnable    {@code auto.create.topics.enable} (default true)
 * @param socketRequestMaxBytes     {@code socket.request.max.bytes} (default 104857600)
 * @param numNetworkThreads         {@code num.network.threads} (default 3)
 * @param numIoThreads              {@code num.io.threads} (default 8)
 * @param logFlushSchedulerIntervalMs {@code log.flush.scheduler.interval.ms} (default Long.MAX_VALUE)
 * @param logDefaults               broker-level log settings ({@code log.segment.bytes}, {@code log.roll.ms}/
 *                                  {@code log.roll.hours}, {@code log.flush.interval.messages}, ...)
 * @param original                  the properties as given (after overrides)
 * @param values                    every broker key's parsed value, defaults included (for keys without a field)
 */
public record BrokerConfig(
        int nodeId,
        List<Listener> listeners,
        List<Listener> advertisedListeners,
        List<Path> logDirs,
        Path metadataLogDir,
        Map<Integer, String> controllerQuorumVoters,
        int numPartitions,
        short defaultReplicationFactor,
        boolean autoCreateTopicsEnable,
        int socketRequestMaxBytes,
        int numNetworkThreads,
        int numIoThreads,
        long logFlushSchedulerIntervalMs,
        LogConfig logDefaults,
        Map<String, String> original,
        ConfigValues values) {

    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerConfig.class);

    /**
     * One listener: {@code NAME://host:port}; the name is upper case, an IPv6 host is kept without brackets.
     *
     * @param port 0..65535; 0 binds an ephemeral port
     */
    public record Listener(String name, String host, int port) {
        @Override
        public String toString() {
            return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        advertisedListeners = List.copyOf(advertisedListeners);
        logDirs = List.copyOf(logDirs);
        controllerQuorumVoters = Collections.unmodifiableMap(new LinkedHashMap<>(controllerQuorumVoters));
        original = Map.copyOf(original);
    }

    /** The contract's original components; {@link #values} is parsed from {@code original}. */
    public BrokerConfig(int nodeId, List<Listener> listeners, List<Listener> advertisedListeners, List<Path> logDirs,
            Path metadataLogDir, Map<Integer, String> controllerQuorumVoters, int numPartitions,
            short defaultReplicationFactor, boolean autoCreateTopicsEnable, int socketRequestMaxBytes,
            int numNetworkThreads, int numIoThreads, long logFlushSchedulerIntervalMs, LogConfig logDefaults,
            Map<String, String> original) {
        this(nodeId, listeners, advertisedListeners, logDirs, metadataLogDir, controllerQuorumVoters, numPartitions,
                defaultReplicationFactor, autoCreateTopicsEnable, socketRequestMaxBytes, numNetworkThreads,
                numIoThreads, logFlushSchedulerIntervalMs, logDefaults, original, DEF.parse(original));
    }

    /** All defaults: a single local node ({@code samsa server} with no arguments). */
    public static BrokerConfig defaults() {
        return fromProperties(Map.of());
    }

    /**
     * Reads {@code file} (null: none) and applies {@code key=value} overrides on top, then parses.
     *
     * @throws ConfigException for a missing file, a malformed override or an invalid value
     */
    public static BrokerConfig load(Path fileOrNull, List<String> overrides) {
        return fromProperties(PropertiesLoader.load(fileOrNull, overrides));
    }

    /**
     * Parses and validates. Unknown keys are logged as warnings (one per key) and ignored; keys Samsa accepts but does
     * not use yet are logged once at INFO.
     *
     * @throws ConfigException naming the key, the value and why, for an invalid value
     */
    public static BrokerConfig fromProperties(Map<String, String> props) {
        ConfigValues values = DEF.parse(props);
        for (String key : DEF.unknownKeys(props)) {
            LOGGER.warn("Unknown configuration key '{}' ignored", key);
        }
        List<String> unused = values.explicitKeys().stream()
                .filter(key -> !DEF.key(key).orElseThrow().used()).sorted().toList();
        if (!unused.isEmpty()) {
            LOGGER.info("Configuration keys accepted, not yet used by Samsa: {}", unused);
        }
        int nodeId = nodeId(values);
        List<Path> logDirs = (values.isExplicit(LOG_DIRS) ? values.getList(LOG_DIRS) : values.getList(LOG_DIR))
                .stream().map(Path::of).toList();
        String metadataDir = values.getString(METADATA_LOG_DIR);
        Set<String> roles = ProcessRoles.roles(values);
        BrokerListeners listeners = BrokerListeners.resolve(values, roles);
        Map<Integer, String> voters = BrokerListeners.voters(values, nodeId, roles);
        ProcessRoles.validate(values, roles, nodeId, voters, listeners.all());
        ProcessRoles.interBrokerListener(values, roles, listeners.advertised());
        return new BrokerConfig(nodeId, listeners.listeners(), listeners.advertised(), logDirs,
                metadataDir != null ? Path.of(metadataDir) : defaultMetadataDir(roles, logDirs),
                voters, values.getInt(NUM_PARTITIONS),
                values.getInt(DEFAULT_REPLICATION_FACTOR).shortValue(), values.getBoolean(AUTO_CREATE_TOPICS_ENABLE),
                values.getInt(SOCKET_REQUEST_MAX_BYTES), values.getInt(NUM_NETWORK_THREADS),
                values.getInt(NUM_IO_THREADS), values.getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS), logDefaults(values),
                props, values);
    }

    /**
     * {@code metadata.log.dir}'s default: a voter keeps its Raft log in {@code __samsa_metadata} of the first log dir;
     * a broker-only node keeps no metadata files, so its metadata dir is the first log dir itself, as Kafka's default
     * (one {@code meta.properties} there).
     */
    private static Path defaultMetadataDir(Set<String> roles, List<Path> logDirs) {
        return roles.contains(ProcessRoles.CONTROLLER) ? logDirs.getFirst().resolve(METADATA_DIR_NAME)
                : logDirs.getFirst();
    }

    /** The keys of {@link #original} that Samsa does not know (each was logged at WARN). */
    public Set<String> unknownKeys() {
        return DEF.unknownKeys(original);
    }

    /**
     * {@code log.retention.ms}, else {@code log.retention.minutes}, else {@code log.retention.hours} (default 168
     * hours), in ms; -1 (any negative value) means no time limit.
     */
    public long retentionMs() {
        return retentionMs(values);
    }

    private static long retentionMs(ConfigValues values) {
        Long ms = values.getLong(LOG_RETENTION_MS);
        if (ms == null) {
            Integer minutes = values.getInt(LOG_RETENTION_MINUTES);
            ms = minutes != null ? minutes * 60_000L : values.getInt(LOG_RETENTION_HOURS) * 3_600_000L;
        }
        return ms < 0 ? -1 : ms;
    }

    /** {@code log.retention.bytes} (default -1: no size limit). */
    public long retentionBytes() {
        return values.getLong(LOG_RETENTION_BYTES);
    }

    /** {@code log.segment.delete.delay.ms} (default 60000). */
    public long segmentDeleteDelayMs() {
        return values.getLong(LOG_SEGMENT_DELETE_DELAY_MS);
    }

    /** {@code compression.type} (default {@code producer}). */
    public String compressionType() {
        return values.getString(COMPRESSION_TYPE);
    }

    /** {@code min.insync.replicas} (default 1). */
    public int minInsyncReplicas() {
        return values.getInt(MIN_INSYNC_REPLICAS);
    }

    /** {@code process.roles}: {@code broker}, {@code controller} or both (Samsa default: both; KIP-500). */
    public Set<String> processRoles() {
        return ProcessRoles.roles(values);
    }

    /** True when this node serves Kafka clients and hosts partitions ({@code process.roles} contains broker). */
    public boolean isBroker() {
        return processRoles().contains(ProcessRoles.BROKER);
    }

    /** True when this node is a metadata quorum voter ({@code process.roles} contains controller). */
    public boolean isController() {
        return processRoles().contains(ProcessRoles.CONTROLLER);
    }

    /** {@code broker.rack} (default null: no rack), for rack-aware placement and KIP-392 fetch from follower. */
    public String rack() {
        return values.getString(ClusterConfigDefs.BROKER_RACK);
    }

    /**
     * The listener name followers and other brokers use to reach this one: {@code inter.broker.listener.name}
     * (validated against {@code advertised.listeners}), else the listener named {@code security.inter.broker.protocol}
     * ({@code PLAINTEXT}), else the first advertised listener. Null for a controller-only node.
     */
    public String interBrokerListenerName() {
        return ProcessRoles.interBrokerListener(values, processRoles(), advertisedListeners);
    }

    /**
     * The security protocol of listener {@code listenerName} ({@code listener.security.protocol.map}; a listener
     * named after a protocol defaults to it), as validated at start-up.
     *
     * @throws ConfigException if the listener has none
     */
    public SecurityProtocol securityProtocol(String listenerName) {
        String name = listenerName.toUpperCase(Locale.ROOT);
        String protocol = Listeners.parseProtocolMap(BrokerConfigDefs.LISTENER_SECURITY_PROTOCOL_MAP,
                values.getString(BrokerConfigDefs.LISTENER_SECURITY_PROTOCOL_MAP)).get(name);
        if (protocol == null && Listeners.SECURITY_PROTOCOLS.contains(name)) {
            protocol = name;
        }
        if (protocol == null) {
            throw new ConfigException(BrokerConfigDefs.LISTENER_SECURITY_PROTOCOL_MAP,
                    values.getString(BrokerConfigDefs.LISTENER_SECURITY_PROTOCOL_MAP),
                    "No security protocol defined for listener " + name);
        }
        return SecurityProtocol.forName(protocol);
    }

    /** {@code unclean.leader.election.enable} (default false). */
    public boolean uncleanLeaderElectionEnable() {
        return values.getBoolean(ClusterConfigDefs.UNCLEAN_LEADER_ELECTION_ENABLE);
    }

    /** {@code replica.lag.time.max.ms} (default 30000): a follower not caught up for this long leaves the ISR. */
    public long replicaLagTimeMaxMs() {
        return values.getLong(ClusterConfigDefs.REPLICA_LAG_TIME_MAX_MS);
    }

    /** {@code broker.session.timeout.ms} (default 9000): a broker without heartbeat for this long is fenced. */
    public int brokerSessionTimeoutMs() {
        return values.getInt(ClusterConfigDefs.BROKER_SESSION_TIMEOUT_MS);
    }

    /** {@code broker.heartbeat.interval.ms} (default 2000). */
    public int brokerHeartbeatIntervalMs() {
        return values.getInt(ClusterConfigDefs.BROKER_HEARTBEAT_INTERVAL_MS);
    }

    /**
     * {@code offsets.topic.replication.factor}: Kafka's default 3, except on a zero-config single node (this node
     * the only voter and the key not set), where it is 1 (ADR 0003). Kafka does not lower it to the live brokers:
     * creating {@code __consumer_offsets} fails (FindCoordinator: COORDINATOR_NOT_AVAILABLE) until that many brokers
     * are registered.
     */
    public short offsetsTopicReplicationFactor() {
        if (!values.isExplicit(ClusterConfigDefs.OFFSETS_TOPIC_REPLICATION_FACTOR)
                && controllerQuorumVoters.size() == 1 && controllerQuorumVoters.containsKey(nodeId)) {
            return 1;
        }
        return values.getShort(ClusterConfigDefs.OFFSETS_TOPIC_REPLICATION_FACTOR);
    }

    /**
     * {@code transaction.state.log.replication.factor}: Kafka's default 3, except on a zero-config single node (this
     * node the only voter and the key not set), where it is 1, as {@link #offsetsTopicReplicationFactor()}.
     */
    public short transactionStateLogReplicationFactor() {
        if (!values.isExplicit("transaction.state.log.replication.factor") && zeroConfigSingleNode()) {
            return 1;
        }
        return values.getShort("transaction.state.log.replication.factor");
    }

    /**
     * {@code transaction.state.log.min.isr}: Kafka's default 2, except on a zero-config single node (the key not set)
     * where it is capped at the replication factor, so that the coordinator's {@code acks=all} writes succeed.
     */
    public int transactionStateLogMinIsr() {
        int minIsr = values.getInt("transaction.state.log.min.isr");
        if (!values.isExplicit("transaction.state.log.min.isr") && zeroConfigSingleNode()) {
            return Math.min(minIsr, transactionStateLogReplicationFactor());
        }
        return minIsr;
    }

    private boolean zeroConfigSingleNode() {
        return controllerQuorumVoters.size() == 1 && controllerQuorumVoters.containsKey(nodeId);
    }

    /** {@code replica.fetch.max.bytes} (default 1048576): bytes per partition in a follower fetch. */
    public int replicaFetchMaxBytes() {
        return values.getInt(ClusterConfigDefs.REPLICA_FETCH_MAX_BYTES);
    }

    /** {@code replica.fetch.response.max.bytes} (default 10485760): bytes of a whole follower fetch response. */
    public int replicaFetchResponseMaxBytes() {
        return values.getInt(ClusterConfigDefs.REPLICA_FETCH_RESPONSE_MAX_BYTES);
    }

    /** {@code max.incremental.fetch.session.cache.slots} (default 1000): fetch sessions kept (KIP-227). */
    public int maxIncrementalFetchSessionCacheSlots() {
        return values.getInt(ClusterConfigDefs.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS);
    }

    /** {@code replica.fetch.wait.max.ms} (default 500). */
    public int replicaFetchWaitMaxMs() {
        return values.getInt(ClusterConfigDefs.REPLICA_FETCH_WAIT_MAX_MS);
    }

    /** {@code replica.fetch.min.bytes} (default 1). */
    public int replicaFetchMinBytes() {
        return values.getInt(ClusterConfigDefs.REPLICA_FETCH_MIN_BYTES);
    }

    /** {@code replica.fetch.backoff.ms} (default 1000). */
    public int replicaFetchBackoffMs() {
        return values.getInt(ClusterConfigDefs.REPLICA_FETCH_BACKOFF_MS);
    }

    /** {@code replica.socket.timeout.ms} (default 30000). */
    public int replicaSocketTimeoutMs() {
        return values.getInt(ClusterConfigDefs.REPLICA_SOCKET_TIMEOUT_MS);
    }

    /** {@code num.replica.fetchers} (default 1): fetcher threads per source broker. */
    public int numReplicaFetchers() {
        return values.getInt(ClusterConfigDefs.NUM_REPLICA_FETCHERS);
    }

    /** {@code replica.selector.class} (default null: consumers fetch from the leader; KIP-392). */
    public String replicaSelectorClass() {
        return values.getString(ClusterConfigDefs.REPLICA_SELECTOR_CLASS);
    }

    private static int nodeId(ConfigValues values) {
        int nodeId = values.getInt(NODE_ID);
        if (!values.isExplicit(BROKER_ID)) {
            return nodeId;
        }
        int brokerId = values.getInt(BROKER_ID);
        if (!values.isExplicit(NODE_ID)) {
            if (brokerId < 0) {
                throw new ConfigException(BROKER_ID, brokerId, "Value must be at least 0");
            }
            return brokerId;
        }
        if (brokerId != nodeId) {
            throw new ConfigException(BROKER_ID, brokerId, "Must equal node.id (" + nodeId + ") when both are set");
        }
        return nodeId;
    }

    /** The broker-level log settings given every broker key's value (static and dynamic merged). */
    static LogConfig logDefaults(ConfigValues values) {
        Long rollMs = values.getLong(LOG_ROLL_MS);
        Long flushMs = values.getLong(LOG_FLUSH_INTERVAL_MS);
        return new LogConfig(
                values.getInt(LOG_SEGMENT_BYTES),
                rollMs != null ? rollMs : values.getInt(LOG_ROLL_HOURS) * 3_600_000L,
                values.getInt(LOG_INDEX_SIZE_MAX_BYTES),
                values.getInt(LOG_INDEX_INTERVAL_BYTES),
                values.getInt(MESSAGE_MAX_BYTES),
                values.getLong(LOG_FLUSH_INTERVAL_MESSAGES),
                flushMs != null ? flushMs : values.getLong(LOG_FLUSH_SCHEDULER_INTERVAL_MS),
                TimestampType.forName(values.getString(LOG_MESSAGE_TIMESTAMP_TYPE)),
                values.getLong(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS),
                values.getLong(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS),
                values.getList(LOG_CLEANUP_POLICY).contains("compact"))
                .withDelete(values.getList(LOG_CLEANUP_POLICY).contains("delete"))
                .withRetentionMs(retentionMs(values))
                .withRetentionBytes(values.getLong(LOG_RETENTION_BYTES))
                .withDeleteRetentionMs(values.getLong("log.cleaner.delete.retention.ms"))
                .withMinCleanableDirtyRatio(values.getDouble("log.cleaner.min.cleanable.ratio"))
                .withMinCompactionLagMs(values.getLong("log.cleaner.min.compaction.lag.ms"))
                .withMaxCompactionLagMs(values.getLong("log.cleaner.max.compaction.lag.ms"))
                .withFileDeleteDelayMs(values.getLong(LOG_SEGMENT_DELETE_DELAY_MS))
                .withCompressionType(values.getString(COMPRESSION_TYPE));
    }
}
