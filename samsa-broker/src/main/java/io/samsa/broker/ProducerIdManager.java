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

    /** Reserves {@code count} ids for {@code nodeId} in the metadata quorum; completes with the first one. */
    @FunctionalInterface
    interface BlockAllocator {
        CompletableFuture<Long> allocate(int nodeId, int count);
    }

    private final int nodeId;
    private final BlockAllocator allocator;
    private long next;
    private long blockEnd;
    private CompletableFuture<Void> pending;

    public ProducerIdManager(int nodeId, MetadataQuorum quorum) {
        this(nodeId, quorum::allocateProducerIds);
    }

    ProducerIdManager(int nodeId, BlockAllocator allocator) {
        this.nodeId = nodeId;
        this.allocator = allocator;
    }

    /**
     * The next unused producer id; completes once a block is reserved when the current one is used up. Fails with the
     * quorum's error when the reservation fails; the next call tries again.
     */
    public synchronized CompletableFuture<Long> nextProducerId() {
        if (next < blockEnd) {
            return CompletableFuture.completedFuture(next++);
        }
        CompletableFuture<Void> reservation = pending;
        if (reservation == null) {
            CompletableFuture<Void> started = allocator.allocate(nodeId, BLOCK_SIZE).thenAccept(first -> {
                synchronized (this) {
                    next = first;
                    blockEnd = first + BLOCK_SIZE;
                }
            });
            pending = started;
            // cleared once done, also when the quorum answered at once (a closed client fails before returning): then
            // this runs right here, after the assignment, instead of before it and leaving the failure cached forever
            started.whenComplete((v, e) -> {
                synchronized (this) {
                    if (pending == started) {
                        pending = null;
                    }
                }
            });
            reservation = started;
        }
        return reservation.thenCompose(v -> nextProducerId());
    }
}
