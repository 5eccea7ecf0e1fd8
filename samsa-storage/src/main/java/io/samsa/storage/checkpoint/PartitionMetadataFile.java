package io.samsa.storage.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * The {@code partition.metadata} file of a partition directory (Kafka's {@code PartitionMetadataFile}, KIP-516):
 *
 * <pre>
 * version: 0
 * topic_id: &lt;Uuid.toString(), URL-safe base64&gt;
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class PartitionMetadataFile {
    public static final String FILE_NAME = "partition.metadata";

    private PartitionMetadataFile() {
    }

    /** Writes the file durably. */
    public static void write(Path partitionDir, Uuid topicId) throws IOException {
        OffsetCheckpointFile.writeAtomically(partitionDir.resolve(FILE_NAME),
                "version: 0\ntopic_id: " + topicId);
    }

    /**
     * Reads the topic id, or empty when the file does not exist.
     *
     * @throws KafkaStorageException when the file is malformed
     */
    public static Optional<Uuid> read(Path partitionDir) throws IOException {
        Path file = partitionDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
        if (lines.length < 2 || !lines[0].trim().equals("version: 0") || !lines[1].startsWith("topic_id: ")) {
            throw new KafkaStorageException("malformed " + file);
        }
        try {
            return Optional.of(Uuid.fromString(lines[1].substring("topic_id: ".length()).trim()));
        } catch (IllegalArgumentException e) {
            throw new KafkaStorageException("malformed topic id in " + file, e);
        }
    }

    /**
     * Checks a stored topic id matches the expected one.
     *
     * @throws InconsistentTopicIdException when the directory belongs to another incarnation of the topic
     */
    public static void verify(Path partitionDir, Uuid stored, Uuid expected) {
        if (!stored.equals(expected) && !expected.equals(Uuid.ZERO_UUID)) {
            throw new InconsistentTopicIdException("partition directory " + partitionDir + " holds topic id "
                    + stored + ", expected " + expected);
        }
    }
}
