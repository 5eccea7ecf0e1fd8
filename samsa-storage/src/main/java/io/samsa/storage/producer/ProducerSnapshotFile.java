package io.samsa.storage.producer;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.utils.Crc32C;

/**
 * Reads and writes Kafka's producer-state snapshot files ({@code <20-digit offset>.snapshot}, Kafka's
 * {@code ProducerStateManager.writeSnapshot}, message {@code ProducerSnapshot} version 1):
 *
 * <pre>
 * Version i16 = 1 | Crc u32 (CRC-32C of everything after it) | count i32 |
 * count x { ProducerId i64, Epoch i16, LastSequence i32, LastOffset i64, OffsetDelta i32, Timestamp i64,
 *           CoordinatorEpoch i32, CurrentTxnFirstOffset i64 }
 * </pre>
 *
 * Only the last batch of each producer is stored, as in Kafka; a producer that has written only markers has
 * LastSequence -1 and LastOffset -1. CoordinatorEpoch is -1 before any marker, CurrentTxnFirstOffset -1 without an
 * open transaction (KIP-98). Writes go to a {@code .tmp} file that is fsynced and
 * atomically renamed. Stateless and thread-safe.
 */
public final class ProducerSnapshotFile {
    static final short VERSION = 1;
    private static final int HEADER = 2 + 4 + 4;
    private static final int ENTRY = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

    /**
     * One snapshot row.
     *
     * @param producerId            producer id
     * @param epoch                 producer epoch
     * @param last                  the producer's last batch, null when it has written only markers
     * @param coordinatorEpoch      coordinator epoch of its last marker, or -1
     * @param currentTxnFirstOffset first offset of its open transaction, or -1
     * @param lastTimestamp         timestamp of its last batch or marker (ms), or -1
     */
    public record Row(long producerId, short epoch, BatchMetadata last, int coordinatorEpoch,
                      long currentTxnFirstOffset, long lastTimestamp) {
        /** A producer without transaction state. */
        public Row(long producerId, short epoch, BatchMetadata last) {
            this(producerId, epoch, last, -1, -1L, last == null ? -1L : last.timestamp());
        }
    }

    private ProducerSnapshotFile() {
    }

    /**
     * Writes {@code rows} to {@code file} durably (fsynced {@code .tmp}, atomic rename). When a step fails the
     * {@code .tmp} file is removed and {@code file} is unchanged.
     */
    public static void write(File file, Collection<Row> rows) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + ENTRY * rows.size());
        buffer.putShort(VERSION).putInt(0).putInt(rows.size());
        for (Row row : rows) {
            BatchMetadata b = row.last();
            buffer.putLong(row.producerId()).putShort(row.epoch())
                    .putInt(b == null ? -1 : b.lastSeq()).putLong(b == null ? -1L : b.lastOffset())
                    .putInt(b == null ? 0 : b.offsetDelta()).putLong(row.lastTimestamp())
                    .putInt(row.coordinatorEpoch()).putLong(row.currentTxnFirstOffset());
        }
        buffer.flip();
        buffer.putInt(2, (int) Crc32C.compute(buffer, 6, buffer.limit() - 6)); // offsets relative to position 0
        OffsetCheckpointFile.replaceAtomically(file.toPath(), buffer);
    }

    /**
     * Reads a snapshot.
     *
     * @throws CorruptRecordException when the version, length or CRC is wrong
     */
    public static List<Row> read(File file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        if (buffer.remaining() < HEADER) {
            throw new CorruptRecordException("snapshot " + file + " is too short");
        }
        short version = buffer.getShort(0);
        if (version != VERSION) {
            throw new CorruptRecordException("snapshot " + file + " has version " + version);
        }
        long crc = buffer.getInt(2) & 0xffffffffL;
        if (crc != Crc32C.compute(buffer, 6, buffer.limit() - 6)) {
            throw new CorruptRecordException("snapshot " + file + " failed its CRC check");
        }
        int count = buffer.getInt(6);
        if (count < 0 || buffer.limit() != HEADER + (long) ENTRY * count) {
            throw new CorruptRecordException("snapshot " + file + " has a bad length for " + count + " entries");
        }
        buffer.position(HEADER);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            int lastSeq = buffer.getInt();
            long lastOffset = buffer.getLong();
            int offsetDelta = buffer.getInt();
            long timestamp = buffer.getLong();
            int coordinatorEpoch = buffer.getInt();
            long currentTxnFirstOffset = buffer.getLong();
            int firstSeq = lastSeq < 0 ? lastSeq : (int) Math.floorMod((long) lastSeq - offsetDelta, (long) Integer.MAX_VALUE + 1);
            BatchMetadata last = lastOffset < 0 ? null
                    : new BatchMetadata(firstSeq, lastSeq, lastOffset - offsetDelta, lastOffset, timestamp);
            rows.add(new Row(producerId, epoch, last, coordinatorEpoch, currentTxnFirstOffset, timestamp));
        }
        return rows;
    }
}
