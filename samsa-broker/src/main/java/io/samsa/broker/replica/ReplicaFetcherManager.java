package io.samsa.broker.replica;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The follower side of replication on this broker (Kafka's {@code ReplicaFetcherManager}): one
 * {@link ReplicaFetcherThread} per leader broker, each fetching every partition this broker follows on that leader.
 * A partition moves between threads when its leader changes; a thread left without partitions stops.
 *
 * <p>Thread-safe.
 */
public final class ReplicaFetcherManager implements AutoCloseable {
    private final int localId;
    private final ReplicationSettings settings;
    private final IntFunction<Optional<InetSocketAddress>> leaderAddress;
    private final LongSupplier brokerEpoch;
    private final Consumer<TopicPartition> onFollowerHighWatermark;
    private final Map<Integer, ReplicaFetcherThread> threads = new HashMap<>();
    private boolean closed;

    public ReplicaFetcherManager(int localId, ReplicationSettings settings,
                                 IntFunction<Optional<InetSocketAddress>> leaderAddress, LongSupplier brokerEpoch,
                                 Consumer<TopicPartition> onFollowerHighWatermark) {
        this.localId = localId;
        this.settings = settings;
        this.leaderAddress = leaderAddress;
        this.brokerEpoch = brokerEpoch;
        this.onFollowerHighWatermark = onFollowerHighWatermark;
    }

    /** Follows {@code partition} on {@code leaderId} from its leader epoch {@code leaderEpoch}, truncating first. */
    public synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        if (closed) {
            return;
        }
        for (Map.Entry<Integer, ReplicaFetcherThread> e : threads.entrySet()) {
            if (e.getKey() != leaderId) {
                e.getValue().removePartition(partition.topicPartition());
            }
        }
        threads.computeIfAbsent(leaderId, id -> {
            var t = new ReplicaFetcherThread(localId, id, settings, leaderAddress, brokerEpoch,
                    onFollowerHighWatermark);
            t.start();
            return t;
        }).addPartition(partition, leaderEpoch);
        stopIdleThreads();
    }

    /** Stops fetching {@code tp} (this broker leads it now, or no longer hosts it). */
    public synchronized void stopFollowing(TopicPartition tp) {
        threads.values().forEach(t -> t.removePartition(tp));
        stopIdleThreads();
    }

    private void stopIdleThreads() {
        threads.entrySet().removeIf(e -> {
            if (e.getValue().isEmpty()) {
                e.getValue().shutdown();
                return true;
            }
            return false;
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        threads.values().forEach(ReplicaFetcherThread::shutdown);
        threads.clear();
    }
}
