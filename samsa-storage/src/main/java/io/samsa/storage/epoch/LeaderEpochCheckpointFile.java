package io.samsa.storage.epoch;

import io.samsa.storage.EpochEntry;
import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * The {@code leader-epoch-checkpoint} file of a partition directory in Kafka's {@code CheckpointFile} text format, so
 * that Kafka's own tools read it:
 *
 * <pre>
 * 0
 * &lt;entry count&gt;
 * &lt;epoch&gt; &lt;start offset&gt;
 * ...
 * </pre>
 *
 * Written to {@code leader-epoch-checkpoint.tmp}, fsynced and renamed over the file
 * ({@link OffsetCheckpointFile#replaceAtomically}); the directory is not fsynced here (the owner does it on flush).
 * Not thread-safe: the owning {@link LeaderEpochCache} serializes its writes.
 */
public final class LeaderEpochCheckpointFile {
    /** The file name, Kafka's. */
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    private final Path file;

    public LeaderEpochCheckpointFile(Path partitionDir) {
        this.file = partitionDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The exact bytes written for {@code entries}. */
    static byte[] format(List<EpochEntry> entries) {
        StringBuilder text = new StringBuilder(16 + entries.size() * 16).append(VERSION).append('\n')
                .append(entries.size()).append('\n');
        for (EpochEntry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Replaces the file's content with {@code entries} (atomically: a failure leaves the previous file).
     *
     * @throws IOException when the write, fsync or rename fails
     */
    public void write(List<EpochEntry> entries) throws IOException {
        OffsetCheckpointFile.replaceAtomically(file, ByteBuffer.wrap(format(entries)));
    }

    /**
     * Reads the file.
     *
     * @return empty when the file does not exist (a log written before Samsa kept the file)
     * @throws KafkaStorageException when the content is malformed
     * @throws IOException           when it cannot be read
     */
    public Optional<List<EpochEntry>> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new KafkaStorageException("unsupported leader epoch checkpoint file " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < 2 + count) {
                throw new KafkaStorageException("leader epoch checkpoint file " + file + " expects " + count
                        + " entries");
            }
            List<EpochEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split("\\s+");
                if (parts.length != 2) {
                    throw new KafkaStorageException("malformed line in " + file + ": " + lines.get(2 + i));
                }
                entries.add(new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            }
            return Optional.of(entries);
        } catch (NumberFormatException e) {
            throw new KafkaStorageException("malformed leader epoch checkpoint file " + file, e);
        }
    }
}
