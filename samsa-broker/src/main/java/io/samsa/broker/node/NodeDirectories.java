package io.samsa.broker.node;

import io.samsa.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's identity on disk: {@code meta.properties} in every log dir and in the metadata dir (issue 8, "no format
 * step"). Before the start the stored {@code node.id}s are checked against the config; once the metadata quorum has
 * agreed on the cluster id, the stored cluster ids are checked against it and the missing files are written.
 *
 * <p>Kafka refuses to start on an unformatted directory ({@code kafka-storage format}); Samsa writes the file instead
 * (ADR 0011). The checks are Kafka's: a directory of another cluster or another node stops the start.
 *
 * <p>Not thread-safe: used once by the starting thread.
 */
public final class NodeDirectories {
    private static final Logger LOGGER = LoggerFactory.getLogger(NodeDirectories.class);

    private final int nodeId;
    private final Map<Path, Optional<MetaProperties>> stored;

    private NodeDirectories(int nodeId, Map<Path, Optional<MetaProperties>> stored) {
        this.nodeId = nodeId;
        this.stored = stored;
    }

    /** Every directory that carries a {@code meta.properties}: the log dirs (broker role) and the metadata dir. */
    static List<Path> directories(BrokerConfig config) {
        List<Path> dirs = new ArrayList<>();
        if (config.isBroker()) {
            dirs.addAll(config.logDirs());
        }
        if (!dirs.contains(config.metadataLogDir())) {
            dirs.add(config.metadataLogDir());
        }
        return dirs;
    }

    /**
     * Reads the stored files before anything else starts.
     *
     * @throws NodeIdentityException a stored {@code node.id} differs from the config's, or two directories name
     *                               different clusters
     * @throws UncheckedIOException  a file cannot be read or is not Kafka's version 1 format
     */
    public static NodeDirectories check(BrokerConfig config) {
        Map<Path, Optional<MetaProperties>> stored = new LinkedHashMap<>();
        String firstCluster = null;
        Path firstClusterDir = null;
        for (Path dir : directories(config)) {
            Optional<MetaProperties> meta;
            try {
                meta = MetaProperties.read(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (meta.isPresent() && meta.get().nodeId() != config.nodeId()) {
                throw new NodeIdentityException("Node id mismatch: " + dir.resolve(MetaProperties.FILE_NAME)
                        + " has node.id=" + meta.get().nodeId() + " but the configuration has node.id="
                        + config.nodeId() + "; this directory belongs to another node");
            }
            if (meta.isPresent()) {
                if (firstCluster == null) {
                    firstCluster = meta.get().clusterId();
                    firstClusterDir = dir;
                } else if (!firstCluster.equals(meta.get().clusterId())) {
                    throw new NodeIdentityException("Cluster id mismatch: " + dir.resolve(MetaProperties.FILE_NAME)
                            + " has cluster.id=" + meta.get().clusterId() + " but "
                            + firstClusterDir.resolve(MetaProperties.FILE_NAME) + " has cluster.id=" + firstCluster);
                }
            }
            stored.put(dir, meta);
        }
        return new NodeDirectories(config.nodeId(), stored);
    }

    /**
     * Checks the stored cluster ids against the quorum's and writes {@code meta.properties} where it is missing.
     *
     * @param clusterId the cluster id the metadata quorum agreed on (never null once the quorum started)
     * @throws NodeIdentityException a directory belongs to another cluster
     * @throws UncheckedIOException  a file cannot be written
     */
    public void agree(String clusterId) {
        for (Map.Entry<Path, Optional<MetaProperties>> entry : stored.entrySet()) {
            Path dir = entry.getKey();
            Optional<MetaProperties> meta = entry.getValue();
            if (meta.isPresent() && !meta.get().clusterId().equals(clusterId)) {
                throw new NodeIdentityException("Cluster id mismatch: " + dir.resolve(MetaProperties.FILE_NAME)
                        + " has cluster.id=" + meta.get().clusterId() + " but the metadata quorum's cluster id is "
                        + clusterId + "; this directory belongs to another cluster (move it away to join this one)");
            }
            if (meta.isEmpty() || meta.get().directoryId() == null) {
                String directoryId = meta.map(MetaProperties::directoryId).orElse(null);
                MetaProperties written = new MetaProperties(clusterId, nodeId,
                        directoryId != null ? directoryId : Uuid.randomUuid().toString());
                try {
                    written.write(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write " + dir.resolve(MetaProperties.FILE_NAME), e);
                }
                entry.setValue(Optional.of(written));
                LOGGER.info("Wrote {} clusterId={} nodeId={} directoryId={}", dir.resolve(MetaProperties.FILE_NAME),
                        clusterId, nodeId, written.directoryId());
            }
        }
    }

    /** The stored (or just written) identity of {@code dir}, if known. */
    public Optional<MetaProperties> stored(Path dir) {
        return stored.getOrDefault(dir, Optional.empty());
    }
}
