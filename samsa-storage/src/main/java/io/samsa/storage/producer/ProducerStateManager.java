package io.samsa.storage.producer;

import io.samsa.storage.segment.SegmentFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-partition idempotent-producer state (Kafka's {@code ProducerStateManager}, KIP-98/KIP-360): for each producer
 * id, its epoch and last {@value ProducerStateEntry#NUM_BATCHES_TO_RETAIN} batches. Detects duplicates (retries of a
 * retained batch), stale epochs and sequence gaps; persists itself as Kafka-format {@code .snapshot} files named by
 * the log end offset they cover.
 *
 * <p>Not thread-safe: owned by one {@code PartitionLog} and used under its append lock.
 */
public final class ProducerStateManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOTS_TO_KEEP = 2;

    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();

    public ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    public Optional<ProducerStateEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    public int producerCount() {
        return producers.size();
    }

    /**
     * Checks an idempotent batch against the producer's state before it is appended.
     *
     * @return the original batch when this one is a retry of a retained batch (same epoch and sequence range)
     * @throws InvalidProducerEpochException when the epoch is below the producer's current one
     * @throws OutOfOrderSequenceException   when a new epoch does not start at sequence 0 or the sequence does not
     *                                       follow the last one (wrapping Integer.MAX_VALUE to 0)
     */
    public Optional<BatchMetadata> check(long producerId, short epoch, int firstSeq, int lastSeq) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return Optional.empty(); // unknown producer: any sequence is accepted (KIP-360)
        }
        Optional<BatchMetadata> duplicate = entry.findDuplicate(epoch, firstSeq, lastSeq);
        if (duplicate.isPresent()) {
            return duplicate;
        }
        if (epoch < entry.producerEpoch()) {
            throw new InvalidProducerEpochException("producer " + producerId + " epoch " + epoch
                    + " is older than current epoch " + entry.producerEpoch());
        }
        if (epoch != entry.producerEpoch()) {
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException("producer " + producerId + " new epoch " + epoch
                        + " must start at sequence 0, got " + firstSeq);
            }
        } else if (!inSequence(entry.lastSeq(), firstSeq)) {
            throw new OutOfOrderSequenceException("producer " + producerId + " epoch " + epoch + ": sequence "
                    + firstSeq + " does not follow " + entry.lastSeq());
        }
        return Optional.empty();
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /** Records a batch that was appended (or replayed from the log). */
    public void update(long producerId, short epoch, BatchMetadata batch) {
        producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch)).add(epoch, batch);
    }

    /** Replays one batch read from the log during recovery (no sequence checks, as Kafka for non-client origins). */
    public void replay(RecordBatch batch) {
        if (batch.hasProducerId() && !batch.isControlBatch()) {
            update(batch.producerId(), batch.producerEpoch(), new BatchMetadata(batch.baseSequence(),
                    batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp()));
        }
    }

    /** Forgets every producer (before a replay from scratch). */
    /** Each producer's last appended offset (producer id to offset). */
    public Map<Long, Long> lastOffsets() {
        Map<Long, Long> result = new HashMap<>();
        for (ProducerStateEntry entry : producers.values()) {
            entry.lastBatch().ifPresent(b -> result.put(entry.producerId(), b.lastOffset()));
        }
        return result;
    }

    public void clear() {
        producers.clear();
    }

    /** Writes {@code <offset>.snapshot} covering the log up to {@code offset} (exclusive) and prunes old snapshots. */
    public void takeSnapshot(long offset) throws IOException {
        List<ProducerSnapshotFile.Row> rows = new ArrayList<>(producers.size());
        for (ProducerStateEntry entry : producers.values()) {
            entry.lastBatch().ifPresent(b -> rows.add(new ProducerSnapshotFile.Row(entry.producerId(),
                    entry.producerEpoch(), b)));
        }
        ProducerSnapshotFile.write(SegmentFiles.snapshotFile(dir, offset), rows);
        TreeMap<Long, File> snapshots = listSnapshots();
        while (snapshots.size() > SNAPSHOTS_TO_KEEP) {
            Files.deleteIfExists(snapshots.pollFirstEntry().getValue().toPath());
        }
    }

    /**
     * Loads the newest readable snapshot at or below {@code logEndOffset}, dropping producers whose last offset is
     * below {@code logStartOffset}. Snapshots above the log end (left by a truncated tail) and unreadable ones are
     * deleted.
     *
     * @return the offset the loaded snapshot covers (replay the log from there), or empty when none was loaded
     */
    public Optional<Long> loadLatestSnapshot(long logStartOffset, long logEndOffset) throws IOException {
        producers.clear();
        TreeMap<Long, File> snapshots = listSnapshots();
        for (Long offset : List.copyOf(snapshots.descendingKeySet())) {
            File file = snapshots.get(offset);
            if (offset > logEndOffset) {
                Files.deleteIfExists(file.toPath());
                continue;
            }
            try {
                for (ProducerSnapshotFile.Row row : ProducerSnapshotFile.read(file)) {
                    if (row.last().lastOffset() >= logStartOffset) {
                        update(row.producerId(), row.epoch(), row.last());
                    }
                }
                return Optional.of(offset);
            } catch (CorruptRecordException e) {
                LOGGER.warn("Deleting unreadable producer snapshot file={} reason={}", file, e.getMessage());
                producers.clear();
                Files.deleteIfExists(file.toPath());
            }
        }
        return Optional.empty();
    }

    /** Deletes every snapshot file. */
    public void deleteSnapshots() throws IOException {
        for (File file : listSnapshots().values()) {
            Files.deleteIfExists(file.toPath());
        }
    }

    private TreeMap<Long, File> listSnapshots() throws IOException {
        TreeMap<Long, File> snapshots = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(SegmentFiles.SNAPSHOT_SUFFIX)) {
                    long offset = SegmentFiles.offsetFromFileName(name);
                    if (offset >= 0) {
                        snapshots.put(offset, p.toFile());
                    }
                }
            });
        }
        return snapshots;
    }
}
