package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import org.apache.ratis.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What only the active controller (the ready Raft leader) does, in its memory: broker sessions, registrations with
 * the duplicate check, heartbeats (never logged) with unfencing and controlled shutdown, and fencing on session
 * expiry ({@link #tick}, called periodically). Each decision becomes records written through {@link QuorumWriter}
 * and planned against the current image, so a lost race is re-planned. When leadership moves to this node the
 * sessions restart ({@link BrokerHeartbeats#activate}): every lease starts at the activation, except that of the
 * deposed controller's broker (the previous Raft leader's node, as this node last followed it: {@link LeaderContact}),
 * which starts when this node last heard from that leader, so a controller killed together with its broker is fenced
 * one session after it fell silent rather than one session after the election (ADR 0029).
 *
 * <p>Thread-safe. Futures complete on Ratis or quorum threads.
 */
final class ActiveController {
    private static final Logger LOGGER = LoggerFactory.getLogger(ActiveController.class);

    private final QuorumWriter writer;
    private final Supplier<ClusterImage> image;
    private final BooleanSupplier leaderReady;
    private final LongSupplier term;
    private final LongSupplier nanoClock;
    private final BrokerHeartbeats heartbeats;
    /** Takes (and forgets) the Raft leader this node last followed and when it last heard from it. */
    private final Supplier<Optional<BrokerHeartbeats.PreviousLeader>> previousLeader;
    private final Function<ControllerRpc.Fetch, CompletableFuture<Message>> feed;
    private final Set<Integer> fencing = ConcurrentHashMap.newKeySet();
    private long activeTerm = -1;
    /** When the last preferred-leader rebalance ran (ns); restarts with each term. */
    private volatile long lastRebalanceNanos;
    private volatile boolean rebalancing;

    /**
     * @param nanoClock      monotonic time in ns ({@link System#nanoTime}); also the clock of {@code previousLeader}
     * @param previousLeader called once per activation: takes the Raft leader this node last followed and when it
     *                       last heard from it (empty: none, or this node itself led last)
     */
    ActiveController(QuorumWriter writer, Supplier<ClusterImage> image, BooleanSupplier leaderReady, LongSupplier term,
                     LongSupplier nanoClock, long sessionTimeoutMs,
                     Supplier<Optional<BrokerHeartbeats.PreviousLeader>> previousLeader,
                     Function<ControllerRpc.Fetch, CompletableFuture<Message>> feed) {
        this.feed = feed;
        this.previousLeader = previousLeader;
        this.writer = writer;
        this.image = image;
        this.leaderReady = leaderReady;
        this.term = term;
        this.nanoClock = nanoClock;
        this.heartbeats = new BrokerHeartbeats(sessionTimeoutMs * 1_000_000L);
    }

    /**
     * True when this node is the ready leader; restarts the sessions on the first call of a new term (the
     * activation), the deposed controller's broker from when it was last heard.
     */
    boolean isActive() {
        if (!leaderReady.getAsBoolean()) {
            synchronized (this) {
                activeTerm = -1;
            }
            return false;
        }
        long current = term.getAsLong();
        synchronized (this) {
            if (current != activeTerm) {
                activeTerm = current;
                long now = nanoClock.getAsLong();
                BrokerHeartbeats.PreviousLeader previous = previousLeader.get().orElse(null);
                heartbeats.activate(image.get(), now, previous);
                lastRebalanceNanos = now;
                if (previous == null) {
                    LOGGER.info("Active controller at term {}: broker sessions restarted", current);
                } else {
                    LOGGER.info("Active controller at term {}: broker sessions restarted; broker {} (the previous "
                                    + "controller's node) was last heard {} ms before, its lease starts then",
                            current, previous.nodeId(), Math.max(0, (now - previous.lastHeardNanos()) / 1_000_000));
                }
            }
        }
        return true;
    }

    /** Serves a {@link ControllerRpc} request that reached this node's state machine as a read-only query. */
    CompletableFuture<Message> handle(Message message) {
        ControllerRpc.Request request;
        try {
            request = ControllerRpc.decode(message);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ControllerRpc.error(new ControllerException(
                    Error.INVALID_REQUEST, e.getMessage())));
        }
        CompletableFuture<Message> result = switch (request) {
            case ControllerRpc.Register r -> register(r).thenApply(ControllerRpc::value);
            case ControllerRpc.Heartbeat h -> heartbeat(h)
                    .thenApply(hr -> ControllerRpc.value(ControllerRpc.encodeHeartbeat(hr)));
            case ControllerRpc.AlterPartition a -> alterPartition(a).thenApply(ControllerRpc::partition);
            case ControllerRpc.Fetch f -> feed.apply(f);
        };
        return result.handle((reply, error) -> error == null ? reply
                : ControllerRpc.error(QuorumWriter.toControllerException(error)));
    }

    /** Registers a broker (see {@link BrokerLifecycle#register}); completes with its broker epoch. */
    CompletableFuture<Long> register(ControllerRpc.Register r) {
        if (!isActive()) {
            return notController();
        }
        return writer.writeSerially(img -> {
            BrokerRegistration existing = img.brokers().get(r.nodeId());
            // a broker that finished its controlled shutdown has gone: its restart may register at once
            boolean alive = existing != null && !(existing.fenced() && existing.inControlledShutdown())
                    && heartbeats.hasLiveSession(r.nodeId(), existing.brokerEpoch(), nanoClock.getAsLong());
            List<MetadataRecord> records = BrokerLifecycle.register(img, r.nodeId(), r.incarnationId(),
                    r.endpoints(), r.rack(), alive);
            if (records.isEmpty()) {
                return QuorumWriter.Plan.nothing(existing.brokerEpoch());
            }
            return QuorumWriter.Plan.<Long>atIndex(records, index -> index);
        });
    }

    /**
     * A heartbeat: renews the session; with {@code wantShutDown} moves the broker's leaderships and ISR memberships
     * away and fences it (then answers shouldShutDown); otherwise unfences a fenced broker whose applied offset
     * reached its registration.
     */
    CompletableFuture<HeartbeatResult> heartbeat(ControllerRpc.Heartbeat h) {
        if (!isActive()) {
            return notController();
        }
        BrokerRegistration b = image.get().brokers().get(h.nodeId());
        if (b == null) {
            return CompletableFuture.failedFuture(new ControllerException(Error.BROKER_ID_NOT_REGISTERED,
                    "Broker " + h.nodeId() + " is not registered"));
        }
        if (b.brokerEpoch() != h.brokerEpoch()) {
            return CompletableFuture.failedFuture(staleEpoch(h.nodeId(), b.brokerEpoch(), h.brokerEpoch()));
        }
        heartbeats.touch(h.nodeId(), h.brokerEpoch(), nanoClock.getAsLong());
        if (h.wantShutDown()) {
            if (b.fenced() && b.inControlledShutdown()) {
                return CompletableFuture.completedFuture(new HeartbeatResult(true, true));
            }
            return writer.write(img -> {
                BrokerRegistration current = checkEpoch(img, h);
                var records = new ArrayList<MetadataRecord>(BrokerLifecycle.beginControlledShutdown(img, h.nodeId()));
                records.removeIf(rec -> rec instanceof MetadataRecord.BrokerRegistrationChangeRecord);
                records.addFirst(new MetadataRecord.BrokerRegistrationChangeRecord(h.nodeId(),
                        current.brokerEpoch(), true, true));
                return new QuorumWriter.Plan<>(records, new HeartbeatResult(true, true));
            });
        }
        if (b.fenced() && !b.inControlledShutdown() && h.appliedOffset() >= b.brokerEpoch()) {
            return writer.write(img -> {
                checkEpoch(img, h);
                List<MetadataRecord> records = BrokerLifecycle.unfence(img, h.nodeId());
                return new QuorumWriter.Plan<>(records, new HeartbeatResult(false, false));
            });
        }
        return CompletableFuture.completedFuture(new HeartbeatResult(b.fenced(), false));
    }

    /** AlterPartition judged against this leader's image ({@link ReplicationControl#alterPartition}). */
    CompletableFuture<PartitionImage> alterPartition(ControllerRpc.AlterPartition a) {
        if (!isActive()) {
            return notController();
        }
        return writer.write(img -> {
            ReplicationControl.Change change = ReplicationControl.alterPartition(img, a.leaderId(), a.brokerEpoch(),
                    a.topicId(), a.partition(), a.leaderEpoch(), a.partitionEpoch(), a.newIsr());
            return new QuorumWriter.Plan<>(change.records(), change.partition());
        });
    }

    /**
     * Fences every unfenced broker whose session expired, and every {@code leader.imbalance.check.interval.seconds}
     * (cluster dynamic config, default 300) moves leadership back to preferred replicas unless
     * {@code auto.leader.rebalance.enable} is false; called periodically on the quorum's executor.
     */
    void tick() {
        if (!isActive()) {
            return;
        }
        ClusterImage current = image.get();
        maybeRebalance(current);
        for (int nodeId : heartbeats.expired(current, nanoClock.getAsLong())) {
            if (!fencing.add(nodeId)) {
                continue;
            }
            long epoch = current.brokers().get(nodeId).brokerEpoch();
            LOGGER.info("Fencing broker {} (epoch {}): no heartbeat for broker.session.timeout.ms", nodeId, epoch);
            writer.write(img -> {
                BrokerRegistration b = img.brokers().get(nodeId);
                if (b == null || b.brokerEpoch() != epoch) {
                    return QuorumWriter.Plan.nothing(null);
                }
                return new QuorumWriter.Plan<>(BrokerLifecycle.fence(img, nodeId), null);
            }).whenComplete((ignored, error) -> {
                fencing.remove(nodeId);
                if (error != null) {
                    LOGGER.warn("Fencing broker {} failed: {}", nodeId, error.toString());
                }
            });
        }
    }

    /** Kafka's {@code auto.leader.rebalance.enable}. */
    static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    /** Kafka's {@code leader.imbalance.check.interval.seconds}. */
    static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    private static final int MAX_ELECTIONS_PER_REBALANCE = 1000;

    private void maybeRebalance(ClusterImage current) {
        var cluster = current.configs(ConfigResource.clusterDefault());
        if (rebalancing || "false".equalsIgnoreCase(cluster.get(AUTO_LEADER_REBALANCE_ENABLE))) {
            return;
        }
        long intervalSeconds;
        try {
            intervalSeconds = Long.parseLong(cluster.getOrDefault(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, "300"));
        } catch (NumberFormatException e) {
            intervalSeconds = 300;
        }
        long now = nanoClock.getAsLong();
        if (now - lastRebalanceNanos < intervalSeconds * 1_000_000_000L) {
            return;
        }
        lastRebalanceNanos = now;
        rebalancing = true;
        writer.write(img -> new QuorumWriter.Plan<>(ReplicationControl.preferredRebalance(img,
                        MAX_ELECTIONS_PER_REBALANCE), null))
                .whenComplete((ignored, error) -> {
                    rebalancing = false;
                    if (error != null) {
                        LOGGER.info("Preferred leader rebalance failed: {}", error.toString());
                    }
                });
    }

    private static BrokerRegistration checkEpoch(ClusterImage img, ControllerRpc.Heartbeat h) {
        BrokerRegistration current = img.brokers().get(h.nodeId());
        if (current == null) {
            throw new ControllerException(Error.BROKER_ID_NOT_REGISTERED, "Broker " + h.nodeId()
                    + " is not registered");
        }
        if (current.brokerEpoch() != h.brokerEpoch()) {
            throw staleEpoch(h.nodeId(), current.brokerEpoch(), h.brokerEpoch());
        }
        return current;
    }

    private static ControllerException staleEpoch(int nodeId, long current, long sent) {
        return new ControllerException(Error.STALE_BROKER_EPOCH, "Broker " + nodeId + " has epoch " + current
                + ", the request carried " + sent);
    }

    private static <T> CompletableFuture<T> notController() {
        return CompletableFuture.failedFuture(new ControllerException(Error.NOT_CONTROLLER,
                "This node is not the active controller"));
    }
}
