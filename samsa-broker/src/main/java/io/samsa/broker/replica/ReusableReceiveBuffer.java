package io.samsa.broker.replica;

import java.nio.ByteBuffer;
import org.apache.kafka.common.memory.MemoryPool;

/**
 * The receive memory of one follower connection, as a kafka-clients {@link MemoryPool}: every response is read into
 * one direct buffer, grown to the largest response seen, instead of a new heap array per response (what
 * {@code MemoryPool.NONE} gives a {@code NetworkClient}, and Kafka's followers). The socket read then lands in it
 * without the JDK's temporary direct buffer and its copy, the follower append writes the fetched batches to the
 * segment from it without another such copy, and no array is allocated and zeroed per response.
 *
 * <p><b>A buffer handed out is valid only until the next {@link #tryAllocate}.</b> The owner must be done with a
 * response (its records appended) before it sends the next request. {@link LeaderEndpoint} has one request in flight
 * at a time and the replica fetcher appends a response before it builds the next fetch, so this holds there; other
 * users of {@link LeaderEndpoint} keep heap buffers. {@code NetworkClient} never releases what it received, so
 * {@link #release} has nothing to do. A response over {@link #RETAINED_LIMIT_BYTES} (beyond
 * {@code replica.fetch.response.max.bytes}' reach) gets a heap buffer of its own, not kept.
 *
 * <p>Not thread-safe: the fetcher thread that owns the connection.
 */
final class ReusableReceiveBuffer implements MemoryPool {
    /** The largest buffer kept for reuse, bytes (Kafka's {@code replica.fetch.response.max.bytes} is 10 MiB). */
    static final int RETAINED_LIMIT_BYTES = 32 << 20;
    private static final int GRANULE_BYTES = 64 << 10;
    private ByteBuffer retained = ByteBuffer.allocateDirect(GRANULE_BYTES);

    /** A buffer of exactly {@code sizeBytes} (position 0, limit = capacity = size), valid until the next call. */
    @Override
    public ByteBuffer tryAllocate(int sizeBytes) {
        if (sizeBytes > RETAINED_LIMIT_BYTES) {
            return ByteBuffer.allocate(sizeBytes);
        }
        if (sizeBytes > retained.capacity()) {
            long grown = Math.max(sizeBytes, 2L * retained.capacity());
            int rounded = (int) Math.min(RETAINED_LIMIT_BYTES, (grown + GRANULE_BYTES - 1) / GRANULE_BYTES
                    * GRANULE_BYTES);
            retained = ByteBuffer.allocateDirect(rounded);
        }
        return retained.duplicate().clear().limit(sizeBytes).slice();
    }

    @Override
    public void release(ByteBuffer previouslyAllocated) {
        // the buffer is reused on the next tryAllocate
    }

    /** The capacity of the buffer kept for reuse, bytes. */
    int retainedBytes() {
        return retained.capacity();
    }

    @Override
    public long size() {
        return Long.MAX_VALUE;
    }

    @Override
    public long availableMemory() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean isOutOfMemory() {
        return false;
    }

    @Override
    public String toString() {
        return "ReusableReceiveBuffer(" + retained.capacity() + " bytes)";
    }
}
