package io.samsa.storage.checkpoint;

import io.samsa.storage.files.StorageFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * A log-directory checkpoint of one offset per partition, in Kafka's {@code CheckpointFile} text format (used for
 * {@code recovery-point-offset-checkpoint} and {@code log-start-offset-checkpoint}):
 *
 * <pre>
 * 0
 * &lt;entry count&gt;
 * &lt;topic&gt; &lt;partition&gt; &lt;offset&gt;
 * ...
 * </pre>
 *
 * Written to {@code <name>.tmp}, fsynced, then atomically renamed over the old file. Thread-safe: writes to one file
 * are serialized.
 */
public final class OffsetCheckpointFile {
    public static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET = "log-start-offset-checkpoint";
    private static final int VERSION = 0;

    private final Path file;

    public OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Replaces the file's content with {@code offsets}. */
    public synchronized void write(Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
                .append(offset).append('\n'));
        writeAtomically(file, text.toString());
    }

    /**
     * Reads the file; a missing file reads as empty.
     *
     * @throws KafkaStorageException when the content is malformed
     */
    public Map<TopicPartition, Long> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new KafkaStorageException("unsupported checkpoint file " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (lines.size() < 2 + count) {
                throw new KafkaStorageException("checkpoint file " + file + " expects " + count + " entries");
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split(" ");
                if (parts.length != 3) {
                    throw new KafkaStorageException("malformed line in " + file + ": " + lines.get(2 + i));
                }
                offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
            return offsets;
        } catch (NumberFormatException e) {
            throw new KafkaStorageException("malformed checkpoint file " + file, e);
        }
    }

    /**
     * Writes {@code content} to {@code target.tmp}, fsyncs it, renames it over {@code target} and fsyncs the dir. When
     * any step fails (a full disk) the {@code .tmp} file is removed and {@code target} keeps its previous content.
     *
     * @throws IOException when a write, fsync or rename fails
     */
    public static void writeAtomically(Path target, String content) throws IOException {
        replaceAtomically(target, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        fsyncDirectory(target.getParent());
    }

    /**
     * Writes {@code bytes} to {@code target.tmp}, fsyncs it and renames it over {@code target}, without fsyncing the
     * directory (the caller does when the new name must survive a power loss). When any step fails the {@code .tmp}
     * file is removed and {@code target} keeps its previous content.
     *
     * @throws IOException when a write, fsync or rename fails
     */
    public static void replaceAtomically(Path target, ByteBuffer bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        StorageFiles files = StorageFiles.of(target);
        try {
            try (FileChannel channel = files.openForWrite(tmp)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            files.atomicMove(tmp, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    /**
     * Makes a rename or create in {@code dir} durable (skipped on platforms that cannot open directories).
     *
     * @throws IOException when the directory fsync fails: the entries may not be durable
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        StorageFiles.of(dir).fsyncDirectory(dir);
    }

    /** Removes a half-written temporary file after {@code cause}; a failure to do so is added to {@code cause}. */
    public static void deleteQuietly(Path tmp, Exception cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
