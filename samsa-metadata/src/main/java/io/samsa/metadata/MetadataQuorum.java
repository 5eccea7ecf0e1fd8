package io.samsa.metadata;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * This node's member of the metadata quorum: a replicated state machine on Apache Ratis holding topics, partitions,
 * configs, brokers and the producer id counter. Requests become records; records are appended to the Raft log and
 * applied on commit into a new {@link ClusterImage}. The active controller is the Raft leader; the controller epoch
 * is the Raft term.
 *
 * <p>Thread-safe. Futures complete on a Ratis or internal thread: never block in a callback.
 */
public final class MetadataQuorum implements AutoCloseable {
    MetadataQuorum() {
    }

    /**
     * Starts (or recovers from {@code config.metadataDir()}) this node's Ratis server and waits until the state
     * machine has replayed the log; for a one-voter quorum also until it is leader.
     */
    public static MetadataQuorum start(QuorumConfig config) throws java.io.IOException { throw new UnsupportedOperationException(); }

    /** The latest applied image. Never null. */
    public ClusterImage image() { throw new UnsupportedOperationException(); }

    /** Calls {@code listener} with each new image, in apply order, on the apply thread. Keep it quick. */
    public void addListener(Consumer<ClusterImage> listener) { throw new UnsupportedOperationException(); }

    /** Registers (or re-registers) a broker; completes with its new broker epoch. */
    public CompletableFuture<Long> registerBroker(int nodeId, List<BrokerRegistration.Endpoint> endpoints, String rack) { throw new UnsupportedOperationException(); }

    /**
     * Creates a topic with a fresh topic id and {@code numPartitions} partitions placed round-robin over unfenced
     * brokers. With {@code validateOnly}, checks everything and commits nothing.
     *
     * @return the created (or, validate-only, would-be) topic
     * @throws ControllerException (through the future) TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
     *         INVALID_REPLICATION_FACTOR (more replicas than brokers)
     */
    public CompletableFuture<TopicImage> createTopic(String name, int numPartitions, short replicationFactor,
                                                     Map<String, String> configs, boolean validateOnly) { throw new UnsupportedOperationException(); }

    /** Deletes a topic by name. Fails with UNKNOWN_TOPIC_OR_PARTITION when absent. */
    public CompletableFuture<Void> deleteTopic(String name) { throw new UnsupportedOperationException(); }

    /**
     * Reserves {@code count} producer ids for {@code brokerId}; completes with the first one. Ids are never handed
     * out twice, across restarts (the counter is in the replicated log).
     */
    public CompletableFuture<Long> allocateProducerIds(int brokerId, int count) { throw new UnsupportedOperationException(); }

    /** Stops the Ratis server (taking a snapshot). */
    @Override
    public void close() { throw new UnsupportedOperationException(); }
}
