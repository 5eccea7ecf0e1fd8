package io.samsa.metadata;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start this node's member of the metadata quorum.
 *
 * @param nodeId     {@code node.id} of this node
 * @param metadataDir directory holding the Ratis log and snapshots ({@code metadata.log.dir}, default the first
 *                   {@code log.dirs} entry + {@code /__samsa_metadata})
 * @param voters     node id to "host:port" of the quorum's voters ({@code controller.quorum.voters}); a single entry
 *                   for one node. Port 0 binds an ephemeral port (single-voter only).
 */
public record QuorumConfig(int nodeId, Path metadataDir, Map<Integer, String> voters) {
}
