package io.samsa.broker;

import io.samsa.coordinator.runtime.SerialExecutor;
import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.config.BrokerConfigDefs;
import io.samsa.broker.handlers.DeleteRecordsHandler;
import io.samsa.broker.handlers.acl.CreateAclsHandler;
import io.samsa.broker.handlers.acl.DeleteAclsHandler;
import io.samsa.broker.handlers.acl.DescribeAclsHandler;
import io.samsa.broker.handlers.DescribeProducersHandler;
import io.samsa.broker.handlers.AlterUserScramCredentialsHandler;
import io.samsa.broker.handlers.DescribeUserScramCredentialsHandler;
import io.samsa.broker.handlers.WriteTxnMarkersHandler;
import io.samsa.broker.handlers.AlterPartitionReassignmentsHandler;
import io.samsa.broker.handlers.DescribeLogDirsHandler;
import io.samsa.broker.handlers.DescribeQuorumHandler;
import io.samsa.broker.handlers.ElectLeadersHandler;
import io.samsa.broker.handlers.ListPartitionReassignmentsHandler;
import io.samsa.coordinator.group.GroupCoordinator;
import io.samsa.coordinator.group.consumer.ConsumerGroupService;
import io.samsa.broker.handlers.group.ConsumerGroupDescribeHandler;
import io.samsa.broker.handlers.group.ConsumerGroupHeartbeatHandler;
import io.samsa.broker.handlers.group.DeleteGroupsHandler;
import io.samsa.broker.handlers.group.DescribeGroupsHandler;
import io.samsa.broker.handlers.group.FindCoordinatorHandler;
import io.samsa.broker.handlers.group.HeartbeatHandler;
import io.samsa.broker.handlers.group.JoinGroupHandler;
import io.samsa.broker.handlers.group.LeaveGroupHandler;
import io.samsa.broker.handlers.group.ListGroupsHandler;
import io.samsa.broker.handlers.group.OffsetCommitHandler;
import io.samsa.broker.handlers.group.OffsetDeleteHandler;
import io.samsa.broker.handlers.group.OffsetFetchHandler;
import io.samsa.broker.handlers.group.SyncGroupHandler;
import io.samsa.broker.handlers.group.TxnOffsetCommitHandler;
import io.samsa.broker.txnverify.AddPartitionsToTxnManager;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.broker.handlers.AlterConfigsHandler;
import io.samsa.broker.handlers.CreatePartitionsHandler;
import io.samsa.broker.handlers.DescribeConfigsHandler;
import io.samsa.broker.handlers.IncrementalAlterConfigsHandler;
import io.samsa.broker.handlers.CreateTopicsHandler;
import io.samsa.broker.handlers.DeleteTopicsHandler;
import io.samsa.broker.handlers.DescribeClusterHandler;
import io.samsa.broker.handlers.FetchHandler;
import io.samsa.broker.handlers.InitProducerIdHandler;
import io.samsa.broker.handlers.ListOffsetsHandler;
import io.samsa.broker.handlers.MetadataHandler;
import io.samsa.broker.handlers.ProduceHandler;
import io.samsa.broker.replica.DelayedFetchPurgatory;
import io.samsa.broker.http.ConsoleRoute;
import io.samsa.broker.http.HttpListeners;
import io.samsa.broker.http.MetricsRoutes;
import io.samsa.broker.metrics.BrokerMetrics;
import io.samsa.broker.replica.ReplicaManager;
import io.samsa.broker.security.ListenerSecurities;
import io.samsa.broker.security.AclAuthorizer;
import io.samsa.broker.security.AclEntries;
import io.samsa.broker.security.RequestAuthorizer;
import io.samsa.broker.handlers.AlterClientQuotasHandler;
import io.samsa.broker.handlers.DescribeClientQuotasHandler;
import io.samsa.broker.quota.ClientQuotaManager;
import io.samsa.broker.quota.QuotaRequestThrottle;
import io.samsa.broker.handlers.FetchSessionCache;
import io.samsa.broker.quota.QuotaSettings;
import io.samsa.broker.security.SaslListenerSettings;
import io.samsa.broker.security.ScramCredentials;
import io.samsa.protocol.ListenerSecurity;
import io.samsa.broker.replica.ReplicationSettings;
import io.samsa.broker.handlers.OffsetsForLeaderEpochHandler;
import io.samsa.broker.handlers.txn.AddOffsetsToTxnHandler;
import io.samsa.broker.handlers.txn.AddPartitionsToTxnHandler;
import io.samsa.broker.handlers.txn.DescribeTransactionsHandler;
import io.samsa.broker.handlers.txn.EndTxnHandler;
import io.samsa.broker.handlers.txn.ListTransactionsHandler;
import io.samsa.broker.net.InterBrokerSecurity;
import io.samsa.broker.net.NetworkBrokerSender;
import io.samsa.broker.security.ListenerSecurities;
import io.samsa.protocol.ListenerSecurity;
import io.samsa.coordinator.txn.TransactionCoordinator;
import io.samsa.broker.config.CoordinatorConfigs;
import io.samsa.broker.replica.CoordinatorPartitions;
import io.samsa.coordinator.txn.TxnMarkerSender;
import io.samsa.broker.node.NodeDirectories;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import io.samsa.metadata.MetadataQuorum;
import io.samsa.metadata.QuorumConfig;
import io.samsa.protocol.ApiRegistry;
import io.samsa.protocol.KafkaWireServer;
import io.samsa.protocol.ServerOptions;
import io.samsa.storage.LogManager;
import io.samsa.storage.cleaner.CleanerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Samsa node: the metadata quorum member, the log manager, the replica manager and the Kafka listener, wired
 * together. {@code samsa server} starts one; the integration tests start several in one JVM.
 *
 * <p>Start-up order: the logs are recovered while the metadata quorum replays its log, then the listener binds and
 * the broker registers its endpoints. Close runs the reverse and leaves a clean-shutdown marker in every log directory.
 *
 * <p>Thread-safe: start once, close once.
 */
public final class SamsaBroker implements SamsaNode {
    private static final Logger LOGGER = LoggerFactory.getLogger(SamsaBroker.class);
    /** Client quota sensors idle this long are dropped (Kafka: one hour), checked every minute. */
    private static final long QUOTA_SENSOR_IDLE_MS = 3_600_000;
    private static final long QUOTA_SENSOR_SWEEP_MS = 60_000;
    private static final long FLUSH_CHECK_DEFAULT_MS = 1_000;
    private static final long REGISTRATION_TIMEOUT_MS = 60_000;
    private static final long CONTROLLED_SHUTDOWN_TIMEOUT_MS = 15_000;
    private static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    private static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    private static final String BROKER_RACK = "broker.rack";
    /** Kafka's {@code request.timeout.ms} default, for the inter-broker requests of the coordinators. */
    private static final int INTER_BROKER_REQUEST_TIMEOUT_MS = 30_000;
    /**
     * The finalized {@code transaction.version} (KIP-584/KIP-890): 2, Transactions V2, the level a new Kafka 4.x
     * cluster finalizes; clients then bump the epoch at each EndTxn and let partition leaders add partitions.
     */
    private static final short TRANSACTION_VERSION = 2;
    /** The finalized-features epoch of ApiVersions: constant, as the finalized levels never change at run time. */
    private static final long FEATURES_EPOCH = 1;

    private final BrokerConfig config;
    private final LogManager logManager;
    private final MetadataQuorum quorum;
    private final DelayedFetchPurgatory purgatory;
    private final ReplicaManager replicas;
    private final BrokerLifecycle lifecycle;
    private final DynamicBrokerConfigs dynamicConfigs;
    private final ExecutorService ioPool;
    private final ScheduledExecutorService scheduler;
    private volatile GroupCoordinator groupCoordinator;
    private volatile TransactionCoordinator transactionCoordinator;
    private volatile NetworkBrokerSender brokerSender;
    private volatile NetworkBrokerSender verificationSender;
    private final List<KafkaWireServer> servers = new ArrayList<>();
    /** Metrics, health and console (http.listeners); bound with the Kafka listeners, null before. */
    private volatile HttpListeners http;
    /** Metrics (Prometheus /metrics and JMX); null before serving or when off (samsa.metrics.enabled=false). */
    private volatile BrokerMetrics metrics;
    /** Set once start-up completed (listeners, registration, unfencing, coordinators): /health/ready. */
    private volatile boolean serving;
    /** The web console at / on the HTTP listeners (samsa-console); null before the listeners are bound. */
    private volatile ConsoleRoute console;
    /** Each client listener's security, built in {@link #start} before anything else. */
    private Map<String, ListenerSecurity> listenerSecurities = Map.of();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean logsFlushed = true;
    private volatile List<BrokerRegistration.Endpoint> endpoints = List.of();

    private SamsaBroker(BrokerConfig config, LogManager logManager, MetadataQuorum quorum) {
        this.config = config;
        this.logManager = logManager;
        this.quorum = quorum;
        this.purgatory = new DelayedFetchPurgatory();
        this.dynamicConfigs = new DynamicBrokerConfigs(config);
        this.ioPool = Executors.newFixedThreadPool(config.numIoThreads(), daemon("samsa-io"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("samsa-scheduler"));
        this.lifecycle = new BrokerLifecycle(config.nodeId(), quorum, scheduler,
                config.values().getInt(BROKER_HEARTBEAT_INTERVAL_MS), config.values().getInt(BROKER_SESSION_TIMEOUT_MS));
        this.replicas = new ReplicaManager(config.nodeId(), logManager, quorum::image, image -> dynamicConfigs.logDefaults(
                image.configs(ConfigResource.clusterDefault()),
                image.configs(ConfigResource.broker(Integer.toString(config.nodeId())))), purgatory,
                ReplicationSettings.from(config), config.minInsyncReplicas(),
                (topicId, partition, leaderEpoch, partitionEpoch, isr) -> quorum.alterPartition(config.nodeId(),
                        lifecycle.brokerEpoch(), topicId, partition, leaderEpoch, partitionEpoch, isr),
                lifecycle::brokerEpoch);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /** The log cleaner's settings from the {@code log.cleaner.*} broker keys. */
    private static CleanerConfig cleanerConfig(BrokerConfig config) {
        return new CleanerConfig(config.values().getBoolean(BrokerConfigDefs.LOG_CLEANER_ENABLE),
                config.values().getInt(BrokerConfigDefs.LOG_CLEANER_THREADS),
                config.values().getLong(BrokerConfigDefs.LOG_CLEANER_DEDUPE_BUFFER_SIZE),
                config.values().getInt(BrokerConfigDefs.LOG_CLEANER_IO_BUFFER_SIZE),
                config.values().getLong(BrokerConfigDefs.LOG_CLEANER_BACKOFF_MS),
                config.values().getDouble(BrokerConfigDefs.LOG_CLEANER_IO_MAX_BYTES_PER_SECOND));
    }

    /**
     * Recovers the logs and the metadata, binds the listeners, then registers the broker. The logs (on
     * {@code num.recovery.threads.per.data.dir} threads per directory) and the metadata quorum recover at the same
     * time, as neither needs the other; the listener binds only once both are done.
     */
    public static SamsaBroker start(BrokerConfig config) throws Exception {
        LOGGER.info("Samsa starting: node {}, recovering the logs and the metadata", config.nodeId());
        NodeDirectories directories = NodeDirectories.check(config);
        // TLS material is checked before anything is recovered: a bad key store or password stops start-up at once
        Map<String, ListenerSecurity> securities = new HashMap<>();
        for (BrokerConfig.Listener listener : config.listeners()) {
            securities.put(listener.name(), ListenerSecurities.forListener(config, listener));
        }
        FutureTask<LogManager> logLoading = new FutureTask<>(() -> LogManager.open(config.logDirs(),
                config.logDefaults(), Time.SYSTEM, cleanerConfig(config),
                config.values().getInt(BrokerConfigDefs.NUM_RECOVERY_THREADS_PER_DATA_DIR)));
        Thread.ofPlatform().name("samsa-log-loading").daemon().start(logLoading);
        MetadataQuorum quorum;
        try {
            quorum = MetadataQuorum.start(new QuorumConfig(config.nodeId(), config.metadataLogDir(),
                    config.controllerQuorumVoters(), config.values().getInt(BROKER_SESSION_TIMEOUT_MS),
                    config.values().getInt(BROKER_HEARTBEAT_INTERVAL_MS)));
        } catch (Exception e) {
            // the logs' failure (e.g. a log dir locked by another broker) is the more telling one when both fail
            LogManager logs = awaitLogs(logLoading);
            logs.close();
            throw e;
        }
        LogManager logManager;
        try {
            logManager = awaitLogs(logLoading);
        } catch (Exception e) {
            quorum.close();
            throw e;
        }
        SamsaBroker broker = new SamsaBroker(config, logManager, quorum);
        broker.listenerSecurities = securities;
        try {
            directories.agree(quorum.image().clusterId());
            broker.startServing();
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The loaded log manager, or the exception that stopped its loading. */
    private static LogManager awaitLogs(FutureTask<LogManager> loading) throws Exception {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void startServing() throws Exception {
        // Roles (leader, follower, coordinator) follow the image only once it holds this process's registration: the
        // image replayed at start-up may still name this node leader of what a crashed process with its node.id led,
        // while that process's session has not expired (two leaders at one leader epoch, two coordinators for one id).
        onRegisteredImages(image -> {
            replicas.takeRoles();
            replicas.onImage(image);
        });
        long flushEvery = config.logFlushSchedulerIntervalMs() == Long.MAX_VALUE
                ? FLUSH_CHECK_DEFAULT_MS : config.logFlushSchedulerIntervalMs();
        scheduler.scheduleWithFixedDelay(this::flushDirtyLogs, flushEvery, flushEvery, TimeUnit.MILLISECONDS);
        // followers that stopped catching up leave the ISR (replica.lag.time.max.ms, checked at half of it, as Kafka)
        long isrCheckEvery = Math.max(1, replicas.settings().replicaLagTimeMaxMs() / 2);
        scheduler.scheduleWithFixedDelay(replicas::maybeShrinkIsr, isrCheckEvery, isrCheckEvery, TimeUnit.MILLISECONDS);
        // idle producers leave the partitions' producer state (producer.id.expiration.ms), as Kafka's LogManager
        long producerExpiryEvery = config.values().getInt(BrokerConfigDefs.PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS);
        long producerExpiration = config.values().getInt(BrokerConfigDefs.PRODUCER_ID_EXPIRATION_MS);
        scheduler.scheduleWithFixedDelay(() -> logManager.removeExpiredProducers(producerExpiration),
                producerExpiryEvery, producerExpiryEvery, TimeUnit.MILLISECONDS);
        // retention, delayed deletion of .deleted files and the log cleaner (issue 4, log lifecycle)
        // one checkpoint task writes the high watermarks, recovery points and log start offsets together, at the more
        // frequent of replica.high.watermark.checkpoint.interval.ms and log.flush.offset.checkpoint.interval.ms
        long hwCheckpointEvery = config.values().getLong(BrokerConfigDefs.REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS);
        long recoveryCheckpointEvery = config.values().getInt(BrokerConfigDefs.LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
        long checkpointEvery = recoveryCheckpointEvery > 0
                ? Math.min(hwCheckpointEvery, recoveryCheckpointEvery) : hwCheckpointEvery;
        logManager.startBackgroundTasks(config.values().getLong(BrokerConfigDefs.LOG_RETENTION_CHECK_INTERVAL_MS),
                checkpointEvery);

        ProducerIdManager producerIds = new ProducerIdManager(config.nodeId(), quorum);
        RequestAuthorizer authorizer = AclAuthorizer.fromConfig(config);
        if (authorizer instanceof AclAuthorizer acls) {
            // the ACLs follow the metadata image; the listeners bind below, after the replayed image is indexed
            acls.update(quorum.image().security().acls(), AclEntries::toBindings);
            quorum.addListener(image -> acls.update(image.security().acls(), AclEntries::toBindings));
        }
        // client quotas (issue 10): sensors per quota entity, quotas from the metadata image
        ClientQuotaManager clientQuotas = new ClientQuotaManager(quotaSettings(config),
                () -> quorum.image().security().quotas(), System::currentTimeMillis);
        scheduler.scheduleWithFixedDelay(() -> clientQuotas.expireIdleSensors(QUOTA_SENSOR_IDLE_MS),
                QUOTA_SENSOR_SWEEP_MS, QUOTA_SENSOR_SWEEP_MS, TimeUnit.MILLISECONDS);
        BrokerContext ctx = new BrokerContext(config, quorum, replicas, purgatory,
                producerIds, new TopicCreator(config, quorum), ioPool, new SerialExecutor(ioPool),
                () -> endpoints, authorizer, clientQuotas);
        GroupCoordinator groups = new GroupCoordinator(config.nodeId(), CoordinatorConfigs.group(config),
                quorum::image, replicas::leaderLog, new CoordinatorPartitions(replicas),
                (name, partitions, replication, configs) ->
                        quorum.createTopic(name, partitions, replication, configs, false), scheduler);
        groupCoordinator = groups;
        ConsumerGroupService consumerGroups = new ConsumerGroupService(CoordinatorConfigs.consumerGroups(config), quorum::image);
        consumerGroups.replayers().forEach(groups::registerReplayer);
        onRegisteredImages(groups::onImage);
        // as before: the senders use config.interBrokerListenerName(), now with that listener's security protocol
        InterBrokerSecurity interBroker = InterBrokerSecurity.from(config);
        NetworkBrokerSender sender = new NetworkBrokerSender(config.nodeId(), quorum::image, interBroker,
                INTER_BROKER_REQUEST_TIMEOUT_MS, "samsa-broker-sender");
        brokerSender = sender;
        TransactionCoordinator txns = new TransactionCoordinator(config.nodeId(),
                CoordinatorConfigs.txn(config, TRANSACTION_VERSION), quorum::image, replicas::leaderLog,
                new CoordinatorPartitions(replicas), (name, partitions, replication, configs) ->
                        quorum.createTopic(name, partitions, replication, configs, false), scheduler,
                () -> nextProducerId(producerIds), new TxnMarkerSender(
                        (brokerId, request) -> sender.send(brokerId, request), quorum::image, scheduler));
        transactionCoordinator = txns;
        onRegisteredImages(txns::onImage);
        // KIP-890: partition leaders verify transactional writes with the transaction coordinator
        // its own connections (as Kafka's): the coordinator may hold an AddPartitionsToTxn until a transaction's
        // markers are written (ADR 0014), and responses go out in order per connection, so markers sent on the same
        // connection would wait behind it
        NetworkBrokerSender verifySender = new NetworkBrokerSender(config.nodeId(), quorum::image, interBroker,
                INTER_BROKER_REQUEST_TIMEOUT_MS, "samsa-txn-verify-sender");
        verificationSender = verifySender;
        AddPartitionsToTxnManager txnVerifier = new AddPartitionsToTxnManager(
                verifySender, quorum::image, ioPool,
                config.values().getBoolean(BrokerConfigDefs.TRANSACTION_PARTITION_VERIFICATION_ENABLE),
                config.values().getInt(BrokerConfigDefs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS),
                config.values().getInt(BrokerConfigDefs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS));
        FetchSessionCache fetchSessions = new FetchSessionCache(config.maxIncrementalFetchSessionCacheSlots());
        BrokerMetrics brokerMetrics = BrokerMetrics.start(config.nodeId(), replicas, quorum, purgatory,
                fetchSessions, () -> groupCoordinator);
        metrics = brokerMetrics;
        if (brokerMetrics != null) {
            replicas.traffic(brokerMetrics.traffic());
        }
        ApiRegistry registry = new ApiRegistry()
                .register(new MetadataHandler(ctx))
                .register(new FindCoordinatorHandler(ctx, groups, txns))
                .register(new JoinGroupHandler(groups, ctx.authorizer()))
                .register(new SyncGroupHandler(groups, ctx.authorizer()))
                .register(new HeartbeatHandler(groups, ctx.authorizer()))
                .register(new LeaveGroupHandler(groups, ctx.authorizer()))
                .register(new OffsetCommitHandler(ctx, groups))
                .register(new OffsetFetchHandler(ctx, groups))
                .register(new TxnOffsetCommitHandler(ctx, groups, txnVerifier))
                .register(new ListGroupsHandler(groups, ctx.authorizer()))
                .register(new DescribeGroupsHandler(groups, ctx.authorizer()))
                .register(new DeleteGroupsHandler(groups, ctx.authorizer()))
                .register(new OffsetDeleteHandler(groups, ctx.authorizer()))
                .register(new ConsumerGroupHeartbeatHandler(groups, consumerGroups, ctx.authorizer()))
                .register(new ConsumerGroupDescribeHandler(groups, consumerGroups, quorum::image,
                        ctx.authorizer()))
                .register(new ProduceHandler(ctx, txnVerifier))
                .register(new FetchHandler(ctx, fetchSessions))
                .register(new ListOffsetsHandler(ctx))
                .register(new OffsetsForLeaderEpochHandler(ctx))
                .register(new CreateTopicsHandler(ctx))
                .register(new DeleteTopicsHandler(ctx))
                .register(new DescribeClusterHandler(ctx))
                .register(new InitProducerIdHandler(ctx, txns))
                .register(new AddPartitionsToTxnHandler(ctx, txns))
                .register(new AddOffsetsToTxnHandler(txns, groups, ctx.authorizer()))
                .register(new EndTxnHandler(txns, ctx.authorizer()))
                .register(new DescribeTransactionsHandler(txns, ctx.authorizer()))
                .register(new ListTransactionsHandler(txns, ctx.authorizer()))
                .register(new DescribeConfigsHandler(ctx, dynamicConfigs))
                .register(new IncrementalAlterConfigsHandler(ctx, dynamicConfigs))
                .register(new AlterConfigsHandler(ctx, dynamicConfigs))
                .register(new CreatePartitionsHandler(ctx))
                .register(new DeleteRecordsHandler(ctx))
                .register(new DescribeLogDirsHandler(ctx))
                .register(new DescribeQuorumHandler(ctx))
                .register(new ElectLeadersHandler(ctx))
                .register(new AlterPartitionReassignmentsHandler(ctx))
                .register(new ListPartitionReassignmentsHandler(ctx))
                .register(new DescribeProducersHandler(ctx))
                .register(new AlterUserScramCredentialsHandler(ctx))
                .register(new DescribeUserScramCredentialsHandler(ctx))
                .register(new CreateAclsHandler(ctx))
                .register(new DescribeAclsHandler(ctx))
                .register(new DeleteAclsHandler(ctx))
                // markers for __consumer_offsets go through the group coordinator (pending offsets complete there)
                .register(new WriteTxnMarkersHandler(ctx, groups))
                .register(new DescribeClientQuotasHandler(ctx))
                .register(new AlterClientQuotasHandler(ctx))
                .throttle(new QuotaRequestThrottle(clientQuotas))
                .observer(brokerMetrics == null ? io.samsa.protocol.RequestObserver.NONE : brokerMetrics.requests())
                // KIP-584: transaction.version 0-2 supported, 2 finalized (Transactions V2, KIP-890 part 2)
                .supportedFeature("transaction.version", (short) 0, (short) 2)
                .finalizedFeature("transaction.version", TRANSACTION_VERSION, FEATURES_EPOCH);

        List<BrokerRegistration.Endpoint> bound = new ArrayList<>();
        for (BrokerConfig.Listener listener : config.listeners()) {
            KafkaWireServer server = KafkaWireServer.bind(new ServerOptions(listener.host(), listener.port(),
                    listener.name(), config.socketRequestMaxBytes(), 100, config.numNetworkThreads())
                    .withSecurity(listenerSecurity(listener)), registry);
            servers.add(server);
            BrokerConfig.Listener advertised = config.advertisedListeners().stream()
                    .filter(a -> a.name().equals(listener.name())).findFirst().orElse(listener);
            String host = advertised.host() == null || advertised.host().isEmpty() || advertised.host().equals("0.0.0.0")
                    ? "localhost" : advertised.host();
            int port = advertised.port() == 0 || advertised == listener ? server.port() : advertised.port();
            bound.add(new BrokerRegistration.Endpoint(listener.name(), host, port));
        }
        endpoints = List.copyOf(bound);
        http = HttpListeners.start(config.values().getList(BrokerConfigDefs.HTTP_LISTENERS),
                config.values().isExplicit(BrokerConfigDefs.HTTP_LISTENERS));
        MetricsRoutes.install(http, brokerMetrics, this::notReadyReason);
        console = ConsoleRoute.mount(http, config, endpoints);
        // registered fenced; the controller unfences this broker once it has caught up with the metadata log
        lifecycle.register(endpoints, config.values().getString(BROKER_RACK), REGISTRATION_TIMEOUT_MS);
        lifecycle.awaitUnfenced(REGISTRATION_TIMEOUT_MS);
        // the image holds the registration now (the controller unfences a broker caught up to it); leader state (high
        // watermarks) is restored before start-up completes
        replicas.takeRoles();
        replicas.reconcileNow();
        groups.start();
        txns.start();
        // clients are served from here on, as Kafka's broker enables request processing at the end of its start-up:
        // before, they wait in the listen backlog instead of getting answers from the image replayed at start-up
        servers.forEach(KafkaWireServer::startAccepting);
        serving = true;
        LOGGER.info("Samsa started: node {} listening on {}, data in {}", config.nodeId(), bootstrapServers(),
                config.logDirs().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(",")));
    }

    /** Calls {@code listener} with each new image from the first that holds this process's registration on. */
    private void onRegisteredImages(java.util.function.Consumer<ClusterImage> listener) {
        quorum.addListener(image -> {
            if (lifecycle.registeredIn(image)) {
                listener.accept(image);
            }
        });
    }

    /** Why {@code /health/ready} answers 503, or empty when the broker is ready to serve clients. */
    private java.util.Optional<String> notReadyReason() {
        if (closed.get()) {
            return java.util.Optional.of("shutting down");
        }
        if (servers.isEmpty()) {
            return java.util.Optional.of("Kafka listeners not bound yet");
        }
        if (lifecycle.fenced()) {
            return java.util.Optional.of("fenced: not yet caught up with the metadata log");
        }
        long silentMs = lifecycle.millisSinceHeartbeatAnswered();
        if (silentMs > lifecycle.sessionTimeoutMs()) {
            return java.util.Optional.of(silentMs == Long.MAX_VALUE ? "no heartbeat answered by the controller yet"
                    : "no heartbeat answered by the controller for " + silentMs + " ms (broker.session.timeout.ms "
                    + lifecycle.sessionTimeoutMs() + "): the metadata may be stale");
        }
        if (!serving) {
            return java.util.Optional.of("starting");
        }
        return java.util.Optional.empty();
    }

    private static QuotaSettings quotaSettings(BrokerConfig config) {
        return new QuotaSettings(config.values().getInt(BrokerConfigDefs.QUOTA_WINDOW_NUM),
                config.values().getInt(BrokerConfigDefs.QUOTA_WINDOW_SIZE_SECONDS),
                config.values().getInt(BrokerConfigDefs.CONTROLLER_QUOTA_WINDOW_NUM),
                config.values().getInt(BrokerConfigDefs.CONTROLLER_QUOTA_WINDOW_SIZE_SECONDS));
    }

    /**
     * The listener's security as validated at start-up (TLS contexts built then), with the SASL side of SASL
     * listeners bound to this broker: SCRAM credentials from the metadata image, tokens evaluated on the I/O pool.
     */
    private ListenerSecurity listenerSecurity(BrokerConfig.Listener listener) {
        ListenerSecurity early = listenerSecurities.get(listener.name());
        if (early == null) {
            early = ListenerSecurities.forListener(config, listener);
        }
        if (early.sasl() == null) {
            return early;
        }
        return new ListenerSecurity(early.protocol(), early.tls(), SaslListenerSettings.forListener(config,
                listener.name(), ScramCredentials.fromImage(quorum::image), ioPool));
    }

    /** A fresh producer id for the transaction coordinator (blocks while a block is reserved in the quorum). */
    private static long nextProducerId(ProducerIdManager producerIds) {
        try {
            return producerIds.nextProducerId().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private boolean otherBrokersAlive() {
        return quorum.image().brokers().values().stream().anyMatch(b -> b.nodeId() != config.nodeId() && !b.fenced());
    }

    private void flushDirtyLogs() {
        try {
            logManager.flushDirtyLogs();
        } catch (RuntimeException e) {
            LOGGER.error("Periodic flush failed", e);
        }
    }

    /** The bound port of the first listener (useful with port 0). */
    public int port() {
        return servers.get(0).port();
    }

    /** "host:port" clients can bootstrap from. */
    public String bootstrapServers() {
        BrokerRegistration.Endpoint ep = endpoints.get(0);
        return ep.host() + ":" + ep.port();
    }

    /** The metadata image this broker has applied (read-only; for tests and tools). */
    public ClusterImage metadataImage() {
        return quorum.image();
    }

    /** {@code host:port} of listener {@code listenerName} (case-insensitive), with the bound port. */
    public String bootstrapServers(String listenerName) {
        BrokerRegistration.Endpoint ep = endpoints.stream().filter(e -> e.listener().equalsIgnoreCase(listenerName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("No listener " + listenerName));
        return ep.host() + ":" + ep.port();
    }

    /** The HTTP listeners ({@code http.listeners}): add routes to them; null until the broker serves. */
    public HttpListeners http() {
        return http;
    }

    /** The broker's metrics; null before it serves or when metrics are off ({@code samsa.metrics.enabled=false}). */
    public BrokerMetrics metrics() {
        return metrics;
    }

    /** The metadata quorum this node reads and writes (tests and tools). */
    public MetadataQuorum quorum() {
        return quorum;
    }

    /** The broker's settings. */
    @Override
    public BrokerConfig config() {
        return config;
    }

    /**
     * After {@link #close()}: false when the logs could not all be flushed, checkpointed and marked cleanly shut down
     * (for example on a full disk); the next start then recovers them.
     */
    @Override
    public boolean stoppedCleanly() {
        return logsFlushed;
    }

    /** Blocks until {@link #close()} has run. */
    @Override
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    /**
     * Stops the broker as {@link #close()} but without a controlled shutdown: the controller learns it is gone only
     * when its session expires ({@code broker.session.timeout.ms}), as after a crash. For tests of failover.
     */
    public void halt() {
        close(false);
    }

    /**
     * Controlled shutdown when other brokers are alive (the controller moves this broker's leaderships away), then
     * stops the listener, flushes and closes the logs cleanly (writing the clean-shutdown marker), then the quorum.
     */
    @Override
    public void close() {
        close(true);
    }

    private void close(boolean controlled) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOGGER.info("Samsa broker {} shutting down", config.nodeId());
        if (controlled && otherBrokersAlive()) {
            // controlled shutdown: the controller moves this broker's leaderships to other in-sync replicas first
            long start = System.nanoTime();
            boolean allowed = lifecycle.controlledShutdown(CONTROLLED_SHUTDOWN_TIMEOUT_MS);
            LOGGER.info("Controlled shutdown of broker {} {} in {} ms", config.nodeId(),
                    allowed ? "completed" : "not confirmed", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        if (console != null) {
            console.close(); // its Admin client first, while the broker still answers
        }
        lifecycle.close();
        servers.forEach(KafkaWireServer::close);
        if (http != null) {
            http.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        purgatory.close();
        scheduler.shutdownNow();
        ioPool.shutdown();
        try {
            ioPool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (groupCoordinator != null) {
            groupCoordinator.close();
        }
        if (transactionCoordinator != null) {
            transactionCoordinator.close();
        }
        if (brokerSender != null) {
            brokerSender.close();
        }
        if (verificationSender != null) {
            verificationSender.close();
        }
        replicas.close();
        try {
            logManager.close();
        } catch (Exception e) {
            logsFlushed = false;
            LOGGER.error("Closing the logs failed: some data was not flushed or checkpointed; the next start "
                    + "recovers the logs", e);
        }
        try {
            quorum.close();
        } catch (Exception e) {
            LOGGER.error("Closing the metadata quorum failed", e);
        }
        shutdown.countDown();
        LOGGER.info("Samsa broker {} shut down", config.nodeId());
    }
}
