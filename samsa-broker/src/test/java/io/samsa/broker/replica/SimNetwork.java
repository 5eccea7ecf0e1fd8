package io.samsa.broker.replica;

import io.samsa.broker.replica.ReplicaFetcherThread.FetchState;
import io.samsa.metadata.IsrMember;
import io.samsa.metadata.PartitionImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;

/**
 * The replication simulation's network (simulated, not Samsa's): the messages in flight between the three brokers
 * and the controller, in one pool. The scheduler delivers any one of them next (so messages are reordered), or drops
 * one (a timed-out request, a closed connection). A crashed broker's messages, to and from it, are lost with its
 * connections, but for the requests it sent that the simulation keeps (already in the peer's socket buffer). No serialization: a fetch response carries the bytes of the batches read from the leader's log,
 * copied at send time as a socket would.
 *
 * <p>Not thread-safe: the simulation is single-threaded.
 */
final class SimNetwork {
    /** The controller's node id in messages. */
    static final int CONTROLLER = 0;

    /** A message in flight from one node to another. */
    sealed interface Message permits FetchRequest, FetchResponse, EpochRequest, EpochResponse, AlterPartitionRequest,
            AlterPartitionResponse {
        int from();

        int to();
    }

    /**
     * A follower's Fetch (as a replica: its log end offset, current leader epoch, KIP-320, and broker epoch, KIP-903)
     * for its fetch state.
     */
    record FetchRequest(int from, int to, FetchState state, long fetchOffset, int currentLeaderEpoch, long brokerEpoch,
                        int maxBytes) implements Message {
    }

    record FetchResponse(int from, int to, FetchState state, FetchResponseData.PartitionData data) implements Message {
    }

    /** OffsetsForLeaderEpoch (KIP-101/279): where does the leader's copy of {@code leaderEpoch} end? */
    record EpochRequest(int from, int to, FetchState state, int currentLeaderEpoch, int leaderEpoch)
            implements Message {
    }

    record EpochResponse(int from, int to, FetchState state, EpochEndOffset data) implements Message {
    }

    /** AlterPartition (KIP-497) from a leader's {@code IsrUpdater}; {@code reply} is the future its Partition holds. */
    record AlterPartitionRequest(int from, int to, int leaderEpoch, int partitionEpoch, List<IsrMember> members,
                                 CompletableFuture<PartitionImage> reply) implements Message {
        List<Integer> isr() {
            return IsrMember.ids(members);
        }
    }

    /** The controller's answer: the committed partition, or the error it refused with (null when committed). */
    record AlterPartitionResponse(int from, int to, CompletableFuture<PartitionImage> reply, PartitionImage committed,
                                  RuntimeException error) implements Message {
    }

    private final List<Message> inFlight = new ArrayList<>();

    void send(Message m) {
        inFlight.add(m);
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    int size() {
        return inFlight.size();
    }

    /** Removes and returns a message chosen by {@code random} (any one: the network reorders). */
    Message takeAny(Random random) {
        return inFlight.remove(random.nextInt(inFlight.size()));
    }

    /** Removes {@code m} itself (by identity) if in flight. */
    void remove(Message m) {
        for (int i = 0; i < inFlight.size(); i++) {
            if (inFlight.get(i) == m) {
                inFlight.remove(i);
                return;
            }
        }
    }

    /** Removes and returns the oldest message (the drain delivers in order). */
    Message takeOldest() {
        return inFlight.removeFirst();
    }

    /**
     * Removes every message to or from {@code node} (its connections closed with it) except those that {@code stays}
     * keeps (asked once per message, in order); returns the removed ones.
     */
    List<Message> cut(int node, Predicate<Message> stays) {
        List<Message> lost = new ArrayList<>();
        inFlight.removeIf(m -> {
            boolean gone = (m.from() == node || m.to() == node) && !stays.test(m);
            if (gone) {
                lost.add(m);
            }
            return gone;
        });
        return lost;
    }
}
