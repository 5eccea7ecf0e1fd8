package io.samsa.broker;

import io.samsa.metadata.MetadataQuorum;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids for InitProducerId from blocks reserved in the metadata quorum, so ids stay unique across
 * restarts and brokers (Kafka's {@code ProducerIdManager}, KIP-730). A block of {@value #BLOCK_SIZE} ids is reserved
 * at a time; ids left in a block when the broker stops are never reused.
 *
 * <p>Thread-safe.
 */
public final class ProducerIdManager {
    static final int BLOCK_SIZE = 1000;

    private final int nodeId;
    private final MetadataQuorum quorum;
    private long next;
    private long blockEnd;
    private CompletableFuture<Void> pending;

    public ProducerIdManager(int nodeId, MetadataQuorum quorum) {
        this.nodeId = nodeId;
        this.quorum = quorum;
    }

    /** The next unused producer id; completes once a block is reserved when the current one is used up. */
    public synchronized CompletableFuture<Long> nextProducerId() {
        if (next < blockEnd) {
            return CompletableFuture.completedFuture(next++);
        }
        if (pending == null) {
            pending = quorum.allocateProducerIds(nodeId, BLOCK_SIZE).thenAccept(first -> {
                synchronized (this) {
                    next = first;
                    blockEnd = first + BLOCK_SIZE;
                    pending = null;
                }
            }).whenComplete((v, e) -> {
                if (e != null) {
                    synchronized (this) {
                        pending = null;
                    }
                }
            });
        }
        return pending.thenCompose(v -> nextProducerId());
    }
}
