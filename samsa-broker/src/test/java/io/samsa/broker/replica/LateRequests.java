package io.samsa.broker.replica;

import io.samsa.broker.replica.SimNetwork.AlterPartitionRequest;
import io.samsa.broker.replica.SimNetwork.AlterPartitionResponse;
import io.samsa.broker.replica.SimNetwork.EpochRequest;
import io.samsa.broker.replica.SimNetwork.FetchRequest;
import io.samsa.broker.replica.SimNetwork.FetchResponse;
import io.samsa.broker.replica.SimNetwork.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The replication simulation's late requests after a crash
 * ({@link ReplicationSimulation.Options#lateRequestsAfterCrash}): when a broker loses power, each request it had in
 * flight (Fetch, OffsetsForLeaderEpoch, AlterPartition) may already sit whole in its peer's socket buffer. Such a
 * request is kept (orphaned) with probability 1/2: its peer still handles it, at a later step, and the answer, written
 * to the sender's closed connection, is lost. Half of the kept requests are read by their peer only after the sender
 * restarted (parked): out of the network until then, and from then on released one step at a time with probability
 * {@code 1/PARKED_RELEASE} each, so that the stale request meets the sender's new incarnation (with a new broker
 * epoch), possibly well after it rejoined the ISR. A parked request whose peer crashes is lost with the peer's socket
 * buffer.
 *
 * <p>All choices are drawn from the simulation's {@code Random}, in the order {@link ReplicationSimulation} calls
 * these methods, so a seed replays exactly. Not thread-safe.
 */
final class LateRequests {
    private static final int PARKED_RELEASE = 40;

    private final boolean enabled;
    private final Random random;
    private final SimNetwork net;
    private final SimController controller;
    private final Map<Integer, SimNode> nodes;
    private final ReplicationSimulation.Stats stats;
    private final Function<FetchRequest, FetchResponse> handleFetch;
    private final Consumer<String> event;
    /**
     * Requests in flight whose sender lost power after sending them (by identity): handled when delivered, but their
     * answers are lost with the sender's connection.
     */
    private final Set<Message> orphaned = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * Orphaned requests whose peer reads them only after their sender restarted (a peer slow to drain its socket
     * buffer): out of the network until then, and from then on released one step at a time with probability
     * {@code 1/PARKED_RELEASE} each, so that the stale request meets the sender's new incarnation, possibly well after
     * it rejoined the ISR.
     */
    private final List<Message> parked = new ArrayList<>();

    /**
     * @param enabled     whether a crashed broker's requests may stay in flight; when off, a crash loses all of them
     * @param handleFetch how the simulation's leaders handle a fetch (counting the fetches refused as stale)
     * @param event       the simulation's event trace
     */
    LateRequests(boolean enabled, Random random, SimNetwork net, SimController controller, Map<Integer, SimNode> nodes,
            ReplicationSimulation.Stats stats, Function<FetchRequest, FetchResponse> handleFetch,
            Consumer<String> event) {
        this.enabled = enabled;
        this.random = random;
        this.net = net;
        this.controller = controller;
        this.nodes = nodes;
        this.stats = stats;
        this.handleFetch = handleFetch;
        this.event = event;
    }

    /**
     * A power loss on {@code node}: cuts its connections, handing each message lost with them to {@code cut} (in the
     * network's order); each of its requests may stay instead (probability 1/2), half of those parked until it
     * restarted; the parked requests to {@code node} are lost with its socket buffer (handed to {@code drop}).
     */
    void crash(int node, Consumer<Message> cut, Consumer<Message> drop) {
        List<Message> kept = new ArrayList<>();
        for (Message m : net.cut(node, m -> {
            boolean stays = enabled && m.from() == node && isRequest(m) && random.nextInt(2) == 0;
            if (stays) {
                kept.add(m);
            }
            return stays;
        })) {
            cut.accept(m);
        }
        for (Message m : kept) {
            orphaned.add(m);
            boolean park = random.nextBoolean();
            if (park) {
                net.remove(m);
                parked.add(m);
            }
            event.accept(m.getClass().getSimpleName() + " " + m.from() + "->" + m.to()
                    + " stays in flight (already in the peer's socket buffer)"
                    + (park ? ", read only after node" + node + " restarted" : ""));
        }
        for (Iterator<Message> it = parked.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.to() == node) { // the socket buffer it waited in is gone
                it.remove();
                drop.accept(m);
            }
        }
    }

    /** Each parked request whose sender restarted reaches its peer now with probability 1/PARKED_RELEASE. */
    void releaseParked() {
        for (Iterator<Message> it = parked.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (nodes.get(m.from()).alive() && random.nextInt(PARKED_RELEASE) == 0) {
                it.remove();
                net.send(m);
                event.accept(m.getClass().getSimpleName() + " " + m.from() + "->" + m.to() + ", from before node"
                        + m.from() + "'s crash, reaches its peer");
            }
        }
    }

    /** For the drain (every broker restarted): every parked request reaches its peer now. */
    void releaseAll() {
        parked.forEach(net::send);
        parked.clear();
    }

    /** Whether {@code m} was a late request, now lost: nobody waits for it (its sender is gone, or restarted). */
    boolean lost(Message m) {
        return orphaned.remove(m);
    }

    /**
     * Delivers {@code m} if it is a late request (and returns true): its peer handles it now; the answer goes to a
     * closed connection and is lost (the sender, restarted or not, never sees it).
     */
    boolean deliver(Message m) {
        if (!orphaned.remove(m)) {
            return false;
        }
        stats.lateRequests++;
        String answer = switch (m) {
            case FetchRequest r -> {
                FetchResponse a = handleFetch.apply(r);
                yield "its fetch at " + r.fetchOffset() + " e" + r.currentLeaderEpoch() + " (broker epoch "
                        + r.brokerEpoch() + "): error " + a.data().errorCode() + " hw " + a.data().highWatermark();
            }
            case EpochRequest r -> "its OffsetsForLeaderEpoch(" + r.leaderEpoch() + "): "
                    + nodes.get(r.to()).handle(r).data();
            case AlterPartitionRequest r -> {
                AlterPartitionResponse a = controller.alterPartition(r);
                stats.isrChanges += a.error() == null ? 1 : 0;
                yield "its isr " + r.members() + " (e" + r.leaderEpoch() + " pe" + r.partitionEpoch() + "): "
                        + (a.error() == null ? "commits " + a.committed() : a.error().getClass().getSimpleName());
            }
            default -> throw new IllegalStateException("only requests outlive their sender: " + m);
        };
        event.accept((m.to() == SimNetwork.CONTROLLER ? "controller" : "node" + m.to()) + " handles, from before node"
                + m.from() + "'s crash, " + answer + "; the answer is lost");
        return true;
    }

    private static boolean isRequest(Message m) {
        return m instanceof FetchRequest || m instanceof EpochRequest || m instanceof AlterPartitionRequest;
    }
}
