package io.samsa.metadata;

import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.ClusterIdRecord;
import io.samsa.metadata.record.MetadataRecord.ProducerIdsRecord;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * This node's member of the metadata quorum: a replicated state machine on Apache Ratis holding topics, partitions,
 * configs, brokers and the producer id counter. Requests become records; records are appended to the Raft log and
 * applied on commit into a new {@link ClusterImage}. The active controller is the Raft leader; the controller epoch
 * is the Raft term.
 *
 * <p>Each request is planned against the current image on the calling thread (cheap, no I/O), submitted to the
 * local Ratis server when this node leads (or forwarded to the leader through a Ratis client with bounded retries),
 * and completes once its batch has been applied here (leader) or on the leader (forwarded), with a result or a
 * {@link ControllerException}. A batch that lost a race for a broker epoch or producer id range is re-planned a few
 * times; a request that does not finish within 30 s fails with REQUEST_TIMED_OUT (it may still commit later).
 *
 * <p>Thread-safe. Futures complete on a Ratis or internal thread: never block in a callback.
 */
public final class MetadataQuorum implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MetadataQuorum.class);

    private final QuorumConfig config;
    private final Tuning tuning;
    private final RaftServer server;
    private final MetadataStateMachine stateMachine;
    private final ForwardingClient forwardingClient;
    private final RaftPeerId selfId;
    private final QuorumWriter writer;
    private final InetSocketAddress address;
    /**
     * Quorum housekeeping (cluster id, session expiry, leader contact samples); never the common pool
     * (ratis-three-voters.md).
     */
    private final ScheduledExecutorService executor;
    private final ActiveController controller;
    /** The Raft leader this voter last followed and when it last heard from it (for the next activation). */
    private final LeaderContact leaderContact;
    /** The broker-only nodes fetching from this node while it leads (DescribeQuorum's observers). */
    private final MetadataFeed.Observers observers = new MetadataFeed.Observers();
    /** On a broker-only node (not a voter): the loop that follows the metadata from the voters; else null. */
    private volatile MetadataFeed.Follower follower;
    private volatile boolean closed;
    private long lastFormatAttemptNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);

    private MetadataQuorum(QuorumConfig config, RaftServer server, MetadataStateMachine stateMachine,
                           ForwardingClient forwardingClient, Tuning tuning, InetSocketAddress address) {
        this.config = config;
        this.tuning = tuning;
        this.server = server;
        this.stateMachine = stateMachine;
        this.forwardingClient = forwardingClient;
        this.selfId = RatisSettings.peerId(config.nodeId());
        this.address = address;
        this.writer = new QuorumWriter(server, selfId, forwardingClient, stateMachine::image, tuning);
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("samsa-metadata-" + config.nodeId()).factory());
        this.leaderContact = new LeaderContact(config.nodeId());
        this.controller = new ActiveController(writer, stateMachine::image, this::isLeaderReady,
                () -> division().getCurrentTerm(), System::nanoTime, config.brokerSessionTimeoutMs(),
                leaderContact::take,
                fetch -> {
                    observers.fetched(fetch.nodeId(), fetch.afterIndex(), stateMachine.image().appliedIndex(),
                            System.currentTimeMillis());
                    return MetadataFeed.serve(stateMachine, fetch, () -> stateMachine.image().controllerId(),
                            () -> stateMachine.image().controllerEpoch());
                });
    }

    private boolean isLeaderReady() {
        try {
            return !closed && server != null && division().isLeaderReady();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Starts (or recovers from {@code config.metadataDir()}) this node's Ratis server and waits until the state
     * machine has replayed the log; for a one-voter quorum also until it is leader. Returns when a leader is known
     * and the cluster id is set (the first leader of an empty log writes it), so {@link #image()} is current.
     * Typically 0.5–1.5 s for a single voter.
     *
     * <p>A node that is not among the voters ({@code process.roles=broker}) runs no Raft replica: it follows the
     * metadata from the leader ({@link MetadataFeed}, long-polling over Ratis' read-only path), sends its requests
     * there, and keeps nothing on disk. Everything else behaves the same.
     *
     * @throws IOException the directory or port is unusable, or no leader emerged within 60 s
     * @throws IllegalArgumentException port 0 with several voters
     */
    public static MetadataQuorum start(QuorumConfig config) throws IOException {
        return start(config, Tuning.DEFAULT);
    }

    static MetadataQuorum start(QuorumConfig config, Tuning tuning) throws IOException {
        JulBridge.installOnce();
        String selfAddress = config.voters().get(config.nodeId());
        if (selfAddress == null) {
            return startObserver(config, tuning);
        }
        boolean singleVoter = config.voters().size() == 1;
        InetSocketAddress self = RatisSettings.resolveSelf(selfAddress, singleVoter);
        RaftGroup group = RatisSettings.group(config.voters(), config.nodeId(), self);
        Files.createDirectories(config.metadataDir());

        long startNanos = System.nanoTime();
        var stateMachine = new MetadataStateMachine();
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RatisSettings.peerId(config.nodeId()))
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(RatisSettings.serverProperties(config.metadataDir(), self, singleVoter, tuning))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        var client = forwardingClient(group, tuning);
        var quorum = new MetadataQuorum(config, server, stateMachine, client, tuning, self);
        stateMachine.onLeaderReady(() -> quorum.executor.execute(quorum::formatIfNeeded));
        stateMachine.onQuery(quorum.controller::handle);
        long tickMs = Math.max(20, Math.min(500, config.brokerSessionTimeoutMs() / 10));
        quorum.executor.scheduleWithFixedDelay(quorum::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        if (!singleVoter) {
            stateMachine.onLeaderChanged(quorum.leaderContact::leaderChanged);
            quorum.executor.scheduleWithFixedDelay(quorum::sampleLeaderContact, LEADER_SAMPLE_MS, LEADER_SAMPLE_MS,
                    TimeUnit.MILLISECONDS);
        }
        try {
            server.start();
            quorum.awaitReady(tuning.startTimeout().toNanos());
        } catch (IOException | RuntimeException e) {
            quorum.close();
            throw e;
        }
        ClusterImage image = quorum.image();
        LOGGER.info("Metadata quorum started nodeId={} address={} clusterId={} controllerId={} controllerEpoch={} "
                        + "appliedIndex={} topics={} in {} ms", config.nodeId(), RatisSettings.hostPort(self),
                image.clusterId(), image.controllerId(), image.controllerEpoch(), image.appliedIndex(),
                image.topics().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return quorum;
    }

    /** The client that reaches the leader from this node, with bounded retries (replaced when it breaks). */
    private static ForwardingClient forwardingClient(RaftGroup group, Tuning tuning) {
        return new ForwardingClient(() -> RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(RatisSettings.clientProperties(tuning.requestTimeout()))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10, RatisSettings.millis(200)))
                .setClientId(ClientId.randomId())
                .build());
    }

    /** A broker-only node: a Ratis client to the voters and the feed loop, no server and no files. */
    private static MetadataQuorum startObserver(QuorumConfig config, Tuning tuning) throws IOException {
        long startNanos = System.nanoTime();
        RaftGroup group = RatisSettings.group(config.voters(), config.nodeId(), null);
        var stateMachine = new MetadataStateMachine();
        var client = forwardingClient(group, tuning);
        var quorum = new MetadataQuorum(config, null, stateMachine, client, tuning, null);
        quorum.follower = new MetadataFeed.Follower(config.nodeId(), client, stateMachine, quorum.executor, 1000);
        quorum.follower.start();
        try {
            quorum.await(() -> quorum.image().clusterId() != null && quorum.image().controllerId() >= 0,
                    System.nanoTime() + tuning.startTimeout().toNanos(), "the metadata from the voters");
        } catch (IOException | RuntimeException e) {
            quorum.close();
            throw e;
        }
        ClusterImage image = quorum.image();
        LOGGER.info("Metadata follower (not a voter) started nodeId={} voters={} clusterId={} controllerId={} "
                        + "appliedIndex={} in {} ms", config.nodeId(), config.voters(), image.clusterId(),
                image.controllerId(), image.appliedIndex(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return quorum;
    }

    /** Whether this node is a voter of the metadata quorum (false: a broker-only node following it). */
    public boolean isVoter() {
        return server != null;
    }

    /**
     * Waits for a leader and a cluster id; a single voter also waits to be the ready leader itself. Whichever node
     * is the ready leader while the log has no cluster id writes one (retried each second until it lands).
     */
    private void awaitReady(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        if (config.voters().size() == 1) {
            await(() -> division().isLeaderReady(), deadline, "this single voter to become leader");
        }
        await(() -> {
            if (image().clusterId() == null && division().isLeaderReady()) {
                formatIfNeeded();
            }
            return image().clusterId() != null && image().controllerId() >= 0;
        }, deadline, "a metadata leader and the cluster id");
    }

    private void await(BooleanSupplier condition, long deadline, String what) throws IOException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("Timed out waiting for " + what + " (node " + config.nodeId() + ")");
            }
            if (Thread.interrupted()) {
                throw new InterruptedIOException("Interrupted waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private DivisionInfo division() {
        try {
            return server.getDivision(RatisSettings.GROUP_ID).getInfo();
        } catch (IOException e) {
            throw new IllegalStateException("The metadata Raft group is not running", e);
        }
    }

    /** On a ready leader: writes the cluster id if the log has none yet, at most one attempt per second. */
    private void formatIfNeeded() {
        long now = System.nanoTime();
        synchronized (this) {
            if (closed || image().clusterId() != null || now - lastFormatAttemptNanos < TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            lastFormatAttemptNanos = now;
        }
        String clusterId = Uuids.randomClusterId();
        writer.write(image -> image.clusterId() != null
                        ? QuorumWriter.Plan.nothing(image.clusterId())
                        : new QuorumWriter.Plan<>(List.of(new ClusterIdRecord(clusterId)), clusterId))
                .whenComplete((id, error) -> {
                    if (error != null) {
                        LOGGER.info("Cluster id not written yet nodeId={}: {}", config.nodeId(), error.toString());
                    } else {
                        LOGGER.info("Metadata log formatted with clusterId={}", id);
                    }
                });
    }

    /** The latest applied image, with the current controller. Never null. */
    public ClusterImage image() {
        return stateMachine.image();
    }

    /** Calls {@code listener} with each new image, in apply order, on the apply thread. Keep it quick. */
    public void addListener(Consumer<ClusterImage> listener) {
        stateMachine.addListener(listener);
    }

    private void tick() {
        try {
            controller.tick();
        } catch (RuntimeException e) {
            LOGGER.warn("Controller tick failed nodeId={}", config.nodeId(), e);
        }
    }

    /** How often a follower samples when it last heard from its leader ({@link LeaderContact}), ms. */
    private static final long LEADER_SAMPLE_MS = 100;

    /** While this voter follows: when did it last hear from the leader (Ratis' follower role info). */
    private void sampleLeaderContact() {
        if (closed) {
            return;
        }
        try {
            DivisionInfo info = division();
            if (info.isFollower()) {
                leaderContact.sample(info.getRoleInfoProto(), System.nanoTime());
            }
        } catch (RuntimeException e) {
            LOGGER.debug("Sampling the leader contact failed nodeId={}: {}", config.nodeId(), e.toString());
        }
    }

    /** This node's {@code node.id}. */
    public int nodeId() {
        return config.nodeId();
    }

    /** The Raft log index of the last entry applied here ({@code image().appliedIndex()}). */
    public long appliedIndex() {
        return image().appliedIndex();
    }

    /**
     * Registers a broker with the active controller (KIP-631, BrokerRegistration API 62); completes with its broker
     * epoch, the log index its registration committed at. The broker starts fenced; heartbeats unfence it. The same
     * incarnation registering again gets its current epoch back (nothing is written).
     *
     * @param incarnationId random id of this broker process
     * @throws ControllerException (through the future) DUPLICATE_BROKER_REGISTRATION when another incarnation holds
     *         the node id and its session is alive; NOT_CONTROLLER / REQUEST_TIMED_OUT while no leader answers
     */
    public CompletableFuture<Long> registerBroker(int nodeId, UUID incarnationId,
                                                  List<BrokerRegistration.Endpoint> endpoints, String rack) {
        var request = new ControllerRpc.Register(nodeId, incarnationId, List.copyOf(endpoints), rack);
        if (controller.isActive()) {
            return controller.register(request);
        }
        return ControllerRpc.send(forwardingClient, request, tuning.requestTimeout(), knownController())
                .thenApply(ControllerRpc::decodeReply);
    }

    /** The node this one believes is the active controller (its Raft leader), unless that is this node or unknown. */
    private Optional<RaftPeerId> knownController() {
        int controllerId = image().controllerId();
        return controllerId >= 0 && controllerId != config.nodeId()
                ? Optional.of(RatisSettings.peerId(controllerId)) : Optional.empty();
    }

    /**
     * A broker heartbeat (BrokerHeartbeat, API 63), delivered to the active controller without touching the log.
     * Renews the broker's session; unfences it once {@code appliedOffset} reached its registration's log index;
     * with {@code wantShutDown} moves its leaderships and ISR memberships away, fences it and answers
     * {@code shouldShutDown}. Send every {@code broker.heartbeat.interval.ms}.
     *
     * @param appliedOffset the broker's {@link #appliedIndex()}
     * @throws ControllerException (through the future) STALE_BROKER_EPOCH, BROKER_ID_NOT_REGISTERED,
     *         NOT_CONTROLLER / REQUEST_TIMED_OUT
     */
    public CompletableFuture<HeartbeatResult> heartbeat(int nodeId, long brokerEpoch, long appliedOffset,
                                                        boolean wantShutDown) {
        var request = new ControllerRpc.Heartbeat(nodeId, brokerEpoch, appliedOffset, wantShutDown);
        if (controller.isActive()) {
            return controller.heartbeat(request);
        }
        // bounded by about one heartbeat interval: the next heartbeat goes to whichever node leads by then
        Duration timeout = Duration.ofMillis(Math.max(1_000, config.brokerHeartbeatIntervalMs()));
        return ControllerRpc.send(forwardingClient, request, timeout, knownController())
                .thenApply(reply -> ControllerRpc.decodeHeartbeat(ControllerRpc.decodeReply(reply)));
    }

    /**
     * AlterPartition (API 56, KIP-497): the leader {@code leaderId} proposes {@code newIsr} for a partition, each
     * member with the broker epoch its fetches named (KIP-903; -1 when unknown). On success the partition epoch is
     * bumped (not the leader epoch) and a reassignment whose adding replicas are all in the ISR completes.
     *
     * @return the partition as committed
     * @throws ControllerException (through the future) STALE_BROKER_EPOCH, UNKNOWN_TOPIC_ID, FENCED_LEADER_EPOCH,
     *         INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA (a member fenced, shutting down, or registered again since
     *         the epoch named), INVALID_REQUEST, UNKNOWN_TOPIC_OR_PARTITION
     */
    public CompletableFuture<PartitionImage> alterPartition(int leaderId, long brokerEpoch, UUID topicId,
                                                            int partition, int leaderEpoch, int partitionEpoch,
                                                            List<IsrMember> newIsr) {
        var request = new ControllerRpc.AlterPartition(leaderId, brokerEpoch, topicId, partition, leaderEpoch,
                partitionEpoch, List.copyOf(newIsr));
        if (controller.isActive()) {
            return controller.alterPartition(request);
        }
        return ControllerRpc.send(forwardingClient, request, tuning.requestTimeout(), knownController())
                .thenApply(ControllerRpc::decodePartitionReply);
    }

    /**
     * ElectLeaders (API 43): preferred ({@code unclean == false}) or unclean elections, all committed in one batch.
     *
     * @return per partition: empty when elected, else the error (ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
     *         ELIGIBLE_LEADERS_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION)
     */
    public CompletableFuture<Map<PartitionRef, Optional<ControllerException>>> electLeaders(boolean unclean,
            Collection<PartitionRef> partitions) {
        List<PartitionRef> refs = List.copyOf(new LinkedHashSet<>(partitions));
        return writer.write(image -> {
            ReplicationControl.Elections elections = ReplicationControl.electLeaders(image, unclean, refs);
            return new QuorumWriter.Plan<>(elections.records(), elections.results());
        });
    }

    /**
     * AlterPartitionReassignments (API 45, KIP-455): per partition a target replica list, or empty to cancel.
     *
     * @return per partition: empty when accepted, else the error (INVALID_REPLICA_ASSIGNMENT,
     *         NO_REASSIGNMENT_IN_PROGRESS, UNKNOWN_TOPIC_OR_PARTITION)
     */
    public CompletableFuture<Map<PartitionRef, Optional<ControllerException>>> alterPartitionReassignments(
            Map<PartitionRef, Optional<List<Integer>>> targets) {
        var copy = new LinkedHashMap<>(targets);
        return writer.write(image -> {
            ReplicationControl.Elections result = ReplicationControl.alterReassignments(image, copy);
            return new QuorumWriter.Plan<>(result.records(), result.results());
        });
    }

    /** ListPartitionReassignments (API 46): the partitions with adding or removing replicas, by topic name. */
    public Map<PartitionRef, PartitionImage> listPartitionReassignments() {
        return ReplicationControl.reassigning(image());
    }

    /** DescribeQuorum (API 55): leader, term, commit index and the voters' replication state as seen here. */
    public QuorumInfo describeQuorum() {
        if (server == null) {
            return QuorumDescriber.describeFromImage(image(), config.voters().keySet());
        }
        try {
            return QuorumDescriber.describe(server.getDivision(RatisSettings.GROUP_ID), config.voters().keySet(),
                    observers.current(System.currentTimeMillis()),
                    System.currentTimeMillis());
        } catch (IOException e) {
            throw new IllegalStateException("The metadata Raft group is not running", e);
        }
    }

    /**
     * Creates a topic with a fresh topic id and {@code numPartitions} partitions placed round-robin over unfenced
     * brokers. With {@code validateOnly}, checks everything and commits nothing.
     *
     * @return the created (or, validate-only, would-be) topic
     * @throws ControllerException (through the future) TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
     *         INVALID_REPLICATION_FACTOR (more replicas than brokers)
     */
    public CompletableFuture<TopicImage> createTopic(String name, int numPartitions, short replicationFactor,
                                                     Map<String, String> configs, boolean validateOnly) {
        Map<String, String> topicConfigs = configs == null ? Map.of() : configs;
        return createTopic(image -> ControllerLogic.planTopic(image, name, numPartitions, replicationFactor,
                topicConfigs, Uuids.randomId()), topicConfigs, validateOnly);
    }

    /**
     * Creates a topic with a fresh topic id and the given replicas per partition (CreateTopics with manual
     * assignments, {@code kafka-topics --replica-assignment}): the ISR is the given replicas that are unfenced and not
     * in controlled shutdown, the leader the first of them. With {@code validateOnly}, checks everything and commits
     * nothing.
     *
     * @param assignments partition index to broker ids (preferred leader first), in request order; indexes 0..n-1
     * @return the created (or, validate-only, would-be) topic
     * @throws ControllerException (through the future) TOPIC_ALREADY_EXISTS, INVALID_REPLICA_ASSIGNMENT with Kafka's
     *         messages (empty list, unregistered or repeated broker, replica counts that differ, every replica of a
     *         partition fenced, indexes not 0..n-1), INVALID_CONFIG
     */
    public CompletableFuture<TopicImage> createTopic(String name, Map<Integer, List<Integer>> assignments,
                                                     Map<String, String> configs, boolean validateOnly) {
        Map<String, String> topicConfigs = configs == null ? Map.of() : configs;
        Map<Integer, List<Integer>> given = new LinkedHashMap<>(assignments);
        return createTopic(image -> ControllerLogic.planTopic(image, name, given, topicConfigs, Uuids.randomId()),
                topicConfigs, validateOnly);
    }

    private CompletableFuture<TopicImage> createTopic(Function<ClusterImage, TopicImage> plan,
                                                      Map<String, String> topicConfigs, boolean validateOnly) {
        if (validateOnly) {
            try {
                return CompletableFuture.completedFuture(plan.apply(image()));
            } catch (ControllerException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return writer.write(image -> {
            TopicImage topic = plan.apply(image);
            return new QuorumWriter.Plan<>(ControllerLogic.createTopicRecords(topic, topicConfigs), topic);
        });
    }

    /** Deletes a topic by name. Fails with UNKNOWN_TOPIC_OR_PARTITION when absent. */
    public CompletableFuture<Void> deleteTopic(String name) {
        return writer.write(image -> new QuorumWriter.Plan<>(List.of(ControllerLogic.deleteTopic(image, name)),
                null));
    }

    /**
     * Grows a topic to {@code newTotalCount} partitions (CreatePartitions, API 37). The new partitions get as many
     * replicas as partition 0, placed round-robin over the unfenced brokers like a new topic's; they are appended as
     * PartitionRecords in one batch. With {@code validateOnly}, checks everything and commits nothing. Apply refuses a
     * batch that lost a race with another growth of the same topic, and the request is re-planned (then failing
     * with INVALID_PARTITIONS if the count is no longer an increase).
     *
     * @return the topic with all its partitions (validate-only: as it would be)
     * @throws ControllerException (through the future) UNKNOWN_TOPIC_OR_PARTITION; INVALID_PARTITIONS when
     *         {@code newTotalCount} is not more than the current count, with Kafka's messages ("Topic already has 3
     *         partition(s)." / "The topic t currently has 3 partition(s); 2 would not be an increase.");
     *         INVALID_REPLICATION_FACTOR
     */
    public CompletableFuture<TopicImage> createPartitions(String topic, int newTotalCount, boolean validateOnly) {
        if (validateOnly) {
            try {
                return CompletableFuture.completedFuture(ControllerLogic.planPartitions(image(), topic, newTotalCount));
            } catch (ControllerException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return writer.write(image -> {
            int before = image.topic(topic).map(t -> t.partitions().size()).orElse(0);
            TopicImage grown = ControllerLogic.planPartitions(image, topic, newTotalCount);
            return new QuorumWriter.Plan<>(ControllerLogic.newPartitionRecords(grown, before), grown);
        });
    }

    /**
     * Sets and deletes dynamic config keys of topics and brokers (IncrementalAlterConfigs/AlterConfigs, KIP-226 and
     * KIP-339): one ConfigRecord per change, all applied atomically in one batch, persisted in the replicated log
     * (so they survive restarts). Key names and values must have been validated by the caller; this checks that
     * each topic exists and each broker name is "" or a non-negative integer. An empty list completes at once. With
     * {@code validateOnly}, checks and commits nothing.
     *
     * @throws ControllerException (through the future) UNKNOWN_TOPIC_OR_PARTITION (also when the topic is deleted
     *         before the batch applies: nothing is changed), INVALID_REQUEST (bad broker name, SET without a value),
     *         INVALID_CONFIG (empty key)
     */
    public CompletableFuture<Void> alterConfigs(List<ConfigChange> changes, boolean validateOnly) {
        List<ConfigChange> copy = List.copyOf(changes);
        if (validateOnly) {
            try {
                ControllerLogic.alterConfigs(image(), copy);
                return CompletableFuture.completedFuture(null);
            } catch (ControllerException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return writer.write(image -> new QuorumWriter.Plan<>(ControllerLogic.alterConfigs(image, copy), null));
    }

    /**
     * Adds ACLs in one batch (CreateAcls). An entry equal to an ACL already stored keeps that ACL (no new record), as
     * Kafka's {@code AclControlManager}. The broker validates the entries (codes, names) first.
     *
     * @return the id of each entry, in order
     */
    public CompletableFuture<List<UUID>> createAcls(List<AclEntry> entries) {
        List<AclEntry> copy = List.copyOf(entries);
        return writer.write(image -> SecurityPlans.createAcls(image, copy));
    }

    /** Removes the ACLs with these ids in one batch (DeleteAcls); ids already gone are skipped. */
    public CompletableFuture<Void> removeAcls(Set<UUID> ids) {
        Set<UUID> copy = Set.copyOf(ids);
        return writer.write(image -> SecurityPlans.removeAcls(image, copy));
    }

    /**
     * Sets and deletes SCRAM credentials in one batch (AlterUserScramCredentials); the broker validates them first.
     * Deleting a credential that is not there is a no-op.
     */
    public CompletableFuture<Void> alterScramCredentials(List<ScramCredentialEntry> upserts,
                                                         List<SecurityImage.ScramKey> deletions) {
        List<ScramCredentialEntry> up = List.copyOf(upserts);
        List<SecurityImage.ScramKey> del = List.copyOf(deletions);
        return writer.write(image -> SecurityPlans.alterScramCredentials(up, del));
    }

    /**
     * Sets and removes client quota keys in one batch (AlterClientQuotas); the broker validates entity types, keys and
     * values first. With {@code validateOnly} nothing is written.
     */
    public CompletableFuture<Void> alterClientQuotas(List<QuotaChange> changes, boolean validateOnly) {
        List<QuotaChange> copy = List.copyOf(changes);
        if (validateOnly) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.write(image -> SecurityPlans.alterClientQuotas(copy));
    }

    /**
     * Reserves {@code count} producer ids for {@code brokerId}; completes with the first one. Ids are never handed
     * out twice, across restarts (the counter is in the replicated log).
     */
    public CompletableFuture<Long> allocateProducerIds(int brokerId, int count) {
        return writer.writeSerially(image -> {
            ProducerIdsRecord record = ControllerLogic.allocateProducerIds(image, brokerId, count);
            return new QuorumWriter.Plan<>(List.<MetadataRecord>of(record), record.firstProducerId());
        });
    }

    /**
     * Writes a snapshot of the applied image now (also taken automatically every 10,000 log entries and on close)
     * and lets Ratis purge the log up to it. Blocks up to 30 s.
     *
     * @return the log index the snapshot covers
     */
    public long takeSnapshot() throws IOException {
        if (server == null) {
            throw new IOException("Node " + config.nodeId() + " is not a voter and keeps no metadata snapshot");
        }
        var request = SnapshotManagementRequest.newCreate(ClientId.randomId(), selfId, RatisSettings.GROUP_ID, 0,
                30_000, 1);
        RaftClientReply reply = server.snapshotManagementAsync(request).orTimeout(30, TimeUnit.SECONDS).join();
        if (!reply.isSuccess()) {
            throw new IOException("Snapshot failed", reply.getException());
        }
        return reply.getLogIndex();
    }

    /**
     * The address this node's Raft server listens on ("host:port"; the chosen port when configured as 0); null on a
     * broker-only node.
     */
    public String raftAddress() {
        return address == null ? null : RatisSettings.hostPort(address);
    }

    /** Stops the Ratis server (taking a snapshot). Idempotent; blocks about a second. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (follower != null) {
            follower.close();
        }
        executor.shutdownNow();
        try {
            forwardingClient.close();
        } catch (IOException e) {
            LOGGER.warn("Closing the metadata forwarding client failed", e);
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            LOGGER.warn("Closing the metadata Raft server failed nodeId={}", config.nodeId(), e);
        }
        LOGGER.info("Metadata quorum stopped nodeId={}", config.nodeId());
    }
}
