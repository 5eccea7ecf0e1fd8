package io.samsa.storage.cleaner;

import io.samsa.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * Reads a segment's {@code .log} in chunks of whole batches into one reused buffer (Kafka's cleaner read buffer),
 * growing it when a single batch does not fit. Never holds more than one chunk of a segment in memory.
 *
 * <p>Not thread-safe: one per cleaner thread.
 */
final class ChunkReader {
    /** Consumes a chunk; returns the bytes of whole batches it processed, or -1 to stop reading. */
    @FunctionalInterface
    interface ChunkConsumer {
        int accept(MemoryRecords chunk) throws IOException;
    }

    private ByteBuffer buffer;

    ChunkReader(int initialBytes) {
        this.buffer = ByteBuffer.allocate(initialBytes);
    }

    /** The current buffer capacity (bytes). */
    int capacity() {
        return buffer.capacity();
    }

    /**
     * Feeds {@code segment}'s batches from {@code position} to its end to {@code consumer}.
     *
     * @param aborted checked before each chunk
     * @throws CleaningAbortedException when {@code aborted} turns true
     * @throws CorruptRecordException   when a batch header is unreadable
     */
    void read(LogSegment segment, int position, BooleanSupplier aborted, ChunkConsumer consumer) throws IOException {
        int end = segment.size();
        while (position < end) {
            if (aborted.getAsBoolean()) {
                throw new CleaningAbortedException();
            }
            buffer.clear();
            buffer.limit(Math.min(buffer.capacity(), end - position));
            segment.log().readInto(buffer, position);
            int consumed = consumer.accept(MemoryRecords.readableRecords(buffer));
            if (consumed < 0) {
                return;
            }
            if (consumed == 0) {
                grow(segment, position, end);
            }
            position += consumed;
        }
    }

    private void grow(LogSegment segment, int position, int end) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(Records.LOG_OVERHEAD);
        segment.log().readInto(header, position);
        if (header.remaining() < Records.LOG_OVERHEAD) {
            throw new CorruptRecordException("truncated batch header at position " + position + " of " + segment);
        }
        int size = Records.LOG_OVERHEAD + header.getInt(Records.SIZE_OFFSET);
        if (size <= buffer.capacity() || size > end - position || size < Records.LOG_OVERHEAD) {
            throw new CorruptRecordException("unreadable batch of size " + size + " at position " + position + " of "
                    + segment);
        }
        buffer = ByteBuffer.allocate(size);
    }
}
