package io.samsa.broker.replica;

import io.samsa.broker.replica.SimNetwork.AlterPartitionRequest;
import io.samsa.broker.replica.SimNetwork.AlterPartitionResponse;
import io.samsa.broker.replica.SimNetwork.EpochRequest;
import io.samsa.broker.replica.SimNetwork.EpochResponse;
import io.samsa.broker.replica.SimNetwork.FetchRequest;
import io.samsa.broker.replica.SimNetwork.FetchResponse;
import io.samsa.broker.replica.SimNetwork.Message;
import io.samsa.metadata.PartitionImage;
import io.samsa.storage.LogConfig;
import io.samsa.storage.MockTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * One run of the replication simulation: three brokers hosting one partition ({@code min.insync.replicas=2},
 * producers with {@code acks=all}), a controller, a network, all driven by one {@code Random(seed)} and one simulated
 * clock; no threads, no sleeps, no sockets. The network, the controller, the scheduler and the fetcher's loop are the
 * simulation's; the logs (with their recovery after a power loss), {@link Partition} and the follower's truncation and
 * append logic are Samsa's (see {@link SimNode}).
 *
 * <p>Each step runs the fetchers (a follower with no request in flight sends one) and then one event chosen at
 * random: a produce to a broker that believes it leads, the delivery of any message in flight (reordering), the loss
 * of one, a clock advance with the leader's ISR shrink check ({@code replica.lag.time.max.ms}), an fsync or checkpoint
 * on one broker, a metadata update reaching one broker, a power loss on one broker (never on the last live ISR member:
 * without fsync, Kafka's {@code acks=all} promise holds only while one in-sync copy survives), a restart, a leader
 * move. A power loss closes the broker's connections: the messages to it and its peers' answers are lost, and so are
 * its own requests, except that each one (Fetch, OffsetsForLeaderEpoch, AlterPartition) may, at the seed's choice,
 * already sit whole in its peer's socket buffer: that peer still handles it, at any later step (possibly after the
 * sender restarted, as a new incarnation with a new broker epoch), and its answer, written to a closed connection, is
 * lost ({@link LateRequests}). The invariants are checked after every step ({@link Invariants#check}); {@link #drain}
 * then stops the faults and runs the cluster until every replica caught up, and {@link Invariants#checkConverged}
 * compares the logs. The logs' background flushes (of rolled segments) run between steps, so a seed replays exactly.
 *
 * <p>Not thread-safe.
 */
final class ReplicationSimulation implements AutoCloseable {
    static final int MIN_ISR = 2;
    static final long LAG_MS = 1_000;
    private static final List<Integer> REPLICAS = List.of(1, 2, 3);
    private static final int FULL_CHECK_EVERY = 25;

    private final long seed;
    private final Options options;
    private final Stats stats;
    private final Random random;
    private final MockTime time = new MockTime(1_700_000_000_000L);
    private final SimNetwork net = new SimNetwork();
    private final SimController controller = new SimController(REPLICAS);
    private final Map<Integer, SimNode> nodes = new LinkedHashMap<>();
    private final List<Produced> inFlightProduces = new ArrayList<>();
    /** Acknowledged records: offset to value. */
    private final TreeMap<Long, String> acked = new TreeMap<>();
    /** What must hold after every step and at the end, read from the logs and {@link #acked}. */
    private final Invariants invariants;
    private final Deque<String> lastEvents = new ArrayDeque<>();
    /** A crashed broker's requests that its peers still handle later ({@link Options#lateRequestsAfterCrash}). */
    private final LateRequests late;
    private int step;
    private int steps;
    private int nextValue;
    private int produced;

    /** What the runs did, summed over seeds (for the test's report): a sweep that exercised nothing proves nothing. */
    static final class Stats {
        long seeds;
        long produced;
        long acknowledged;
        long delivered;
        long lost;
        long crashes;
        long elections;
        long truncations;
        long isrChanges;
        /** Requests handled after their sender lost power (kept in the peer's socket buffer), answers lost. */
        long lateRequests;
        /** Fetches the leader refused as NOT_LEADER_OR_FOLLOWER for naming an earlier broker epoch (KIP-903). */
        long staleFetchesRefused;

        @Override
        public String toString() {
            return seeds + " seeds, " + produced + " records produced, " + acknowledged + " acknowledged, "
                    + delivered + " messages delivered, " + lost + " lost, " + crashes + " power losses, "
                    + elections + " leader elections, " + truncations + " follower truncations, " + isrChanges
                    + " ISR changes committed, " + lateRequests + " requests handled after their sender's crash, "
                    + staleFetchesRefused + " fetches refused as from an earlier broker epoch";
        }
    }

    /** One acks=all produce: its values at their offsets, acknowledged when {@code ack} completes with true. */
    private record Produced(int leader, long firstOffset, List<String> values, CompletableFuture<Boolean> ack) {
    }

    /**
     * What the run allows beyond the default fault model.
     *
     * @param loseAlterPartitionAnswers whether the network may lose the controller's answer to an AlterPartition it
     *                                  committed (the leader's request then times out); when off, only requests are
     *                                  lost (never seen by the controller) and answers are delayed and reordered, as
     *                                  with a channel that retries until answered
     * @param holesAllowed              whether a replica's log may miss offsets (a hole) above its high watermark,
     *                                  as a follower recovered after a truncation and a power loss may until it
     *                                  truncates again (a bug, fixed: see the test's
     *                                  {@code aTruncatedFollowerRecoversFromAPowerLossWithoutAHole})
     * @param lateRequestsAfterCrash    whether a request a broker sent before it lost power may still reach its peer
     *                                  (fully received into the peer's socket buffer) and be handled later, even after
     *                                  the broker restarted; the answer is lost (the old connection is closed). Each
     *                                  such request is kept with probability 1/2, and half of those reach the peer
     *                                  only after the broker restarted. When off, a crash loses all of them
     */
    record Options(boolean loseAlterPartitionAnswers, boolean holesAllowed, boolean lateRequestsAfterCrash) {
        static final Options DEFAULT = new Options(false, true, true);
        /** The default fault model before late requests: the fault model the regression seeds' traces were found in. */
        static final Options NO_LATE_REQUESTS = new Options(false, true, false);
    }

    ReplicationSimulation(long seed, Path dir, Options options, Stats stats) {
        this.seed = seed;
        this.stats = stats;
        this.options = options;
        this.invariants = new Invariants(nodes, acked, options.holesAllowed(), this::live, this::currentLeader);
        this.random = new Random(seed);
        this.late = new LateRequests(options.lateRequestsAfterCrash(), random, net, controller, nodes, stats,
                this::handleFetch, this::event);
        LogConfig config = LogConfig.defaults().withSegmentBytes(1024 + random.nextInt(3072))
                .withIndexIntervalBytes(64 + random.nextInt(256)).withSegmentIndexBytes(1024);
        for (int id : REPLICAS) {
            Partition.IsrUpdater updater = (topicId, p, leaderEpoch, partitionEpoch, isr) -> {
                var reply = new CompletableFuture<PartitionImage>();
                net.send(new AlterPartitionRequest(id, SimNetwork.CONTROLLER, leaderEpoch, partitionEpoch, isr, reply));
                event("node" + id + " proposes isr " + isr + " (e" + leaderEpoch + " pe" + partitionEpoch + ")");
                return reply;
            };
            SimNode node = new SimNode(id, dir.resolve("node-" + id), config, time, updater, controller::unfenced);
            nodes.put(id, node);
            node.start();
            node.registered(controller.brokerEpoch(id));
            node.apply(controller.image());
        }
    }

    /** Runs {@code steps} random steps, then the drain; throws an AssertionError naming the seed on a violation. */
    void run(int steps) {
        this.steps = steps;
        try {
            for (step = 0; step < steps; step++) {
                step();
                invariants.check(step % FULL_CHECK_EVERY == 0);
            }
            drain();
            invariants.checkConverged();
            countRun();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(report(e.toString()), e);
        }
    }

    // ---- events ----

    private void step() {
        issueFetches();
        int roll = random.nextInt(100);
        if (roll < 20) {
            produce();
        } else if (roll < 60) {
            if (!net.isEmpty()) {
                deliver(net.takeAny(random));
            }
        } else if (roll < 64) {
            if (!net.isEmpty()) {
                Message m = net.takeAny(random);
                if (m instanceof AlterPartitionResponse && !options.loseAlterPartitionAnswers()) {
                    net.send(m); // delayed, not lost
                } else {
                    drop(m);
                }
            }
        } else if (roll < 75) {
            tick(1 + random.nextInt((int) LAG_MS / 2));
        } else if (roll < 79) {
            pick(live()).ifPresent(n -> {
                boolean flush = random.nextBoolean();
                n.flushOrCheckpoint(flush);
                event(n + (flush ? " flushes" : " checkpoints"));
            });
        } else if (roll < 92) {
            pick(live().stream().filter(n -> controller.hasUpdates(n.id)).toList()).ifPresent(this::publishOne);
        } else if (roll < 94) {
            pick(live().stream().filter(this::mayCrash).toList()).ifPresent(this::crash);
        } else if (roll < 97) {
            pick(nodes.values().stream().filter(n -> !n.alive()).toList()).ifPresent(this::restart);
        } else {
            int to = REPLICAS.get(random.nextInt(REPLICAS.size()));
            if (controller.moveLeader(to)) {
                event("controller moves the leadership to node" + to + ": " + controller.image());
            }
        }
        late.releaseParked();
        collectAcks();
        live().forEach(SimNode::runBackgroundFlushes);
    }

    private void issueFetches() {
        for (SimNode n : live()) {
            Partition p = n.partition();
            if (!p.isLeader() && p.leaderId() > 0 && nodes.get(p.leaderId()).alive()) {
                int maxBytes = random.nextInt(3) == 0 ? 1 + random.nextInt(2_000) : 1 << 20;
                n.nextRequest(maxBytes).ifPresent(net::send);
            }
        }
    }

    /** A client produces to a broker that believes it leads (possibly a deposed one, with stale metadata). */
    private void produce() {
        pick(live().stream().filter(n -> n.partition().isLeader()).toList()).ifPresent(n -> {
            int count = 1 + random.nextInt(4);
            List<String> values = new ArrayList<>();
            SimpleRecord[] records = new SimpleRecord[count];
            for (int i = 0; i < count; i++) {
                values.add("s" + seed + "-v" + nextValue++);
                records[i] = new SimpleRecord(time.milliseconds(), null, values.get(i).getBytes(StandardCharsets.UTF_8));
            }
            Partition p = n.partition();
            try {
                var info = p.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, records), MIN_ISR);
                // LeaderAppends: acknowledged once the HW passed the batch and the ISR still has min.insync.replicas
                CompletableFuture<Boolean> ack = p.awaitHighWatermark(info.lastOffset() + 1)
                        .handle((v, e) -> e == null && p.isr().size() >= MIN_ISR);
                inFlightProduces.add(new Produced(n.id, info.firstOffset(), values, ack));
                produced += count;
                event(n + " appends " + values + " at " + info.firstOffset());
            } catch (ApiException e) {
                event(n + " refuses a produce: " + e.getClass().getSimpleName());
            }
        });
    }

    private void deliver(Message m) {
        stats.delivered++;
        if (late.deliver(m)) {
            return;
        }
        switch (m) {
            case AlterPartitionRequest r -> {
                AlterPartitionResponse answer = controller.alterPartition(r);
                stats.isrChanges += answer.error() == null ? 1 : 0;
                event("controller " + (answer.error() == null ? "commits " + answer.committed()
                        : "refuses isr " + r.isr() + ": " + answer.error().getClass().getSimpleName()));
                net.send(answer);
            }
            case AlterPartitionResponse r -> {
                if (r.error() == null) {
                    r.reply().complete(r.committed());
                } else {
                    r.reply().completeExceptionally(r.error());
                }
            }
            case FetchRequest r -> {
                FetchResponse answer = handleFetch(r);
                event("node" + r.to() + " answers node" + r.from() + "'s fetch at " + r.fetchOffset() + " e"
                        + r.currentLeaderEpoch() + ": error " + answer.data().errorCode() + " hw "
                        + answer.data().highWatermark() + " bytes " + answer.data().records().sizeInBytes());
                net.send(answer);
            }
            case EpochRequest r -> {
                EpochResponse answer = nodes.get(r.to()).handle(r);
                event("node" + r.to() + " answers node" + r.from() + "'s OffsetsForLeaderEpoch(" + r.leaderEpoch()
                        + "): " + answer.data());
                net.send(answer);
            }
            case FetchResponse r -> nodes.get(r.to()).onResponse(r);
            case EpochResponse r when !nodes.get(r.to()).alive() -> { } // never: answers to a crashed node are cut
            case EpochResponse r -> {
                long before = nodes.get(r.to()).log().logEndOffset();
                nodes.get(r.to()).onResponse(r);
                stats.truncations += nodes.get(r.to()).log().logEndOffset() < before ? 1 : 0;
                event(nodes.get(r.to()) + " after OffsetsForLeaderEpoch");
            }
        }
    }

    /** A follower's fetch handled by its leader, counting a refusal of an earlier incarnation's fetch (KIP-903). */
    private FetchResponse handleFetch(FetchRequest r) {
        SimNode leader = nodes.get(r.to());
        long before = leader.staleFetchesRefused();
        FetchResponse answer = leader.handle(r);
        stats.staleFetchesRefused += leader.staleFetchesRefused() - before;
        return answer;
    }

    /** A lost message: a fetcher times out and sends again; a lost AlterPartition times out at its leader. */
    private void drop(Message m) {
        stats.lost++;
        event("network loses " + m.getClass().getSimpleName() + " " + m.from() + "->" + m.to());
        if (late.lost(m)) {
            return; // its sender is gone (or restarted): nobody waits for it
        }
        switch (m) {
            case FetchRequest r -> nodes.get(r.from()).onLost(r.state());
            case EpochRequest r -> nodes.get(r.from()).onLost(r.state());
            case FetchResponse r -> nodes.get(r.to()).onLost(r.state());
            case EpochResponse r -> nodes.get(r.to()).onLost(r.state());
            case AlterPartitionRequest r -> r.reply().completeExceptionally(new TimeoutException("request lost"));
            case AlterPartitionResponse r -> r.reply().completeExceptionally(new TimeoutException("response lost"));
        }
    }

    private void tick(long ms) {
        time.sleep(ms);
        for (SimNode n : live()) {
            n.partition().maybeShrinkIsr(LAG_MS);
        }
        event("clock +" + ms + " ms");
    }

    private void publishOne(SimNode n) {
        PartitionImage image = controller.nextUpdate(n.id);
        Partition.Transition t = n.apply(image);
        event(n + " applies " + image + " (" + t + ")");
    }

    /**
     * Power loss on one broker: the controller fences it; its connections and unflushed bytes are gone. Each of its
     * requests in flight may stay (with {@link Options#lateRequestsAfterCrash}, probability 1/2): already in the
     * peer's socket buffer, it is handled later, its answer lost; half of those are read by the peer only after the
     * broker restarted ({@link LateRequests}).
     */
    private void crash(SimNode n) {
        event(n + " loses power");
        stats.crashes++;
        n.crash();
        invariants.crashed(n.id);
        inFlightProduces.removeIf(p -> p.leader() == n.id && !p.ack().isDone());
        late.crash(n.id, m -> {
            int other = m.from() == n.id ? m.to() : m.from();
            if (other == SimNetwork.CONTROLLER || nodes.get(other).alive()) {
                drop(m);
            }
        }, this::drop);
        controller.fence(n.id);
        event("controller fences node" + n.id + ": " + controller.image());
    }

    /** Restart: recovery of the log directory, a fresh Partition at the current metadata, then the fetcher. */
    private void restart(SimNode n) {
        n.start();
        n.registered(controller.unfence(n.id));
        n.apply(controller.image());
        event(n + " restarted (recovered)");
    }

    /** Never the last live member of the ISR: its page cache may hold the only copy of acknowledged records. */
    private boolean mayCrash(SimNode n) {
        return controller.image().isr().stream().anyMatch(r -> r != n.id && nodes.get(r).alive());
    }

    private void collectAcks() {
        for (Iterator<Produced> it = inFlightProduces.iterator(); it.hasNext(); ) {
            Produced p = it.next();
            if (p.ack().isDone()) {
                it.remove();
                if (p.ack().join()) {
                    for (int i = 0; i < p.values().size(); i++) {
                        acked.put(p.firstOffset() + i, p.values().get(i));
                    }
                    event("acked " + p.values() + " at " + p.firstOffset());
                }
            }
        }
    }

    /** Stops the faults, restarts every broker and runs the cluster in order until all replicas caught up. */
    private void drain() {
        event("--- drain ---");
        nodes.values().stream().filter(n -> !n.alive()).forEach(this::restart);
        late.releaseAll();
        for (int i = 0; i < 20_000 && !converged(); i++) {
            for (SimNode n : live()) {
                while (controller.hasUpdates(n.id)) {
                    publishOne(n);
                }
            }
            issueFetches();
            if (!net.isEmpty()) {
                deliver(net.takeOldest());
            }
            if (i % 50 == 49) {
                tick(LAG_MS / 4);
            }
            collectAcks();
            live().forEach(SimNode::runBackgroundFlushes);
            invariants.check(false);
        }
        Invariants.assertTrue(converged(),
                "the cluster did not converge: " + nodes.values() + " " + controller.image());
        invariants.check(true);
    }

    private boolean converged() {
        SimNode leader = currentLeader();
        if (leader == null || !leader.partition().isLeader() || !inFlightProduces.isEmpty()) {
            return false;
        }
        long leo = leader.log().logEndOffset();
        for (SimNode n : nodes.values()) {
            if (!n.alive() || controller.hasUpdates(n.id) || n.log().logEndOffset() != leo
                    || n.log().highWatermark() != leo) {
                return false;
            }
        }
        return controller.image().isr().size() == REPLICAS.size();
    }

    // ---- helpers ----

    private SimNode currentLeader() {
        int id = controller.image().leader();
        return id > 0 && nodes.get(id).alive() ? nodes.get(id) : null;
    }

    private List<SimNode> live() {
        return nodes.values().stream().filter(SimNode::alive).toList();
    }

    private <T> java.util.Optional<T> pick(List<T> choices) {
        return choices.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(choices.get(random.nextInt(choices.size())));
    }

    private void event(String what) {
        lastEvents.addLast("#" + step + " " + what);
        if (lastEvents.size() > 60) {
            lastEvents.removeFirst();
        }
    }

    private String report(String failure) {
        return "seed " + seed + " (replay: -Dsim.seed=" + seed + " -Dsim.steps=" + steps
                + (options.loseAlterPartitionAnswers() ? " -Dsim.loseAlterPartitionAnswers=true" : "")
                + (options.lateRequestsAfterCrash() ? "" : " -Dsim.lateRequests=false")
                + (options.holesAllowed() ? "" : ", holes not allowed") + ") failed at step " + step + ": " + failure
                + "\nnodes: " + nodes.values() + "\nleader epoch caches: " + nodes.values().stream()
                        .map(n -> n.alive() ? "node" + n.id + "=" + n.log().epochEntries() : "node" + n.id + "=down")
                        .toList() + "\ncontroller: " + controller.image() + "\nproduced " + produced
                + ", acknowledged " + acked.size() + "\nlast events:\n  " + String.join("\n  ", lastEvents);
    }

    int acknowledged() {
        return acked.size();
    }

    private void countRun() {
        stats.seeds++;
        stats.produced += produced;
        stats.acknowledged += acked.size();
        stats.elections += controller.image().leaderEpoch();
    }

    @Override
    public void close() throws Exception {
        for (SimNode n : nodes.values()) {
            n.stop();
        }
    }
}
