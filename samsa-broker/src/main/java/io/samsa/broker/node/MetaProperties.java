package io.samsa.broker.node;

import io.samsa.storage.checkpoint.OffsetCheckpointFile;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A directory's {@code meta.properties}, in Apache Kafka's KRaft format (version 1, {@code MetaProperties} in Kafka's
 * {@code metadata} module), so that Kafka's tools ({@code kafka-storage info}) read it:
 *
 * <pre>
 * #&lt;date&gt;
 * cluster.id=&lt;22-character base64 UUID&gt;
 * directory.id=&lt;22-character base64 UUID, one per directory&gt;
 * node.id=&lt;node.id&gt;
 * version=1
 * </pre>
 *
 * <p>Samsa has no format step: the file is written once the metadata quorum agreed on the cluster id, on the first
 * start of a node (or the first start after an upgrade from a single-node data folder without the file). Immutable.
 *
 * @param clusterId   {@code cluster.id}, as the quorum's {@code ClusterIdRecord} holds it
 * @param nodeId      {@code node.id}
 * @param directoryId {@code directory.id} (KIP-858), kept across starts; null when the file has none
 */
public record MetaProperties(String clusterId, int nodeId, String directoryId) {
    /** The file name in each log dir and the metadata dir. */
    public static final String FILE_NAME = "meta.properties";

    /**
     * Reads {@code dir}/meta.properties, if there is one.
     *
     * @throws IOException the file cannot be read, or is not version 1 with {@code cluster.id} and {@code node.id}
     */
    public static Optional<MetaProperties> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        String version = props.getProperty("version");
        String clusterId = props.getProperty("cluster.id");
        String nodeId = props.getProperty("node.id");
        if (!"1".equals(version) || clusterId == null || nodeId == null) {
            throw new IOException(file + " is not a KRaft meta.properties (version=1 with cluster.id and node.id): "
                    + "version=" + version + " cluster.id=" + clusterId + " node.id=" + nodeId);
        }
        try {
            return Optional.of(new MetaProperties(clusterId, Integer.parseInt(nodeId.trim()),
                    props.getProperty("directory.id")));
        } catch (NumberFormatException e) {
            throw new IOException(file + " has an invalid node.id: " + nodeId, e);
        }
    }

    /** Writes this as {@code dir}/meta.properties, atomically (temporary file, fsync, rename, directory fsync). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("version", "1");
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", Integer.toString(nodeId));
        if (directoryId != null) {
            props.setProperty("directory.id", directoryId);
        }
        StringWriter text = new StringWriter();
        props.store(text, null);
        OffsetCheckpointFile.replaceAtomically(dir.resolve(FILE_NAME),
                ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1)));
        OffsetCheckpointFile.fsyncDirectory(dir);
    }
}
