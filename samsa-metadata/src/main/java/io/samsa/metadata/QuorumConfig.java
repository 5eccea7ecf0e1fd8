package io.samsa.metadata;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start this node's member of the metadata quorum.
 *
 * @param nodeId                    {@code node.id} of this node
 * @param metadataDir               directory holding the Ratis log and snapshots ({@code metadata.log.dir}, default
 *                                  the first {@code log.dirs} entry + {@code /__samsa_metadata})
 * @param voters                    node id to "host:port" of the quorum's voters ({@code controller.quorum.voters});
 *                                  a single entry for one node. Port 0 binds an ephemeral port (single-voter only).
 * @param brokerSessionTimeoutMs    {@code broker.session.timeout.ms}: a broker without a heartbeat for this long is
 *                                  fenced by the active controller (Kafka's default 9000)
 * @param brokerHeartbeatIntervalMs {@code broker.heartbeat.interval.ms} (Kafka's default 2000)
 */
public record QuorumConfig(int nodeId, Path metadataDir, Map<Integer, String> voters,
                           long brokerSessionTimeoutMs, long brokerHeartbeatIntervalMs) {
    /** Kafka's {@code broker.session.timeout.ms} default. */
    public static final long DEFAULT_SESSION_TIMEOUT_MS = 9000;
    /** Kafka's {@code broker.heartbeat.interval.ms} default. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 2000;

    public QuorumConfig {
        voters = Map.copyOf(voters);
        if (brokerSessionTimeoutMs <= 0 || brokerHeartbeatIntervalMs <= 0) {
            throw new IllegalArgumentException("broker.session.timeout.ms and broker.heartbeat.interval.ms must be "
                    + "positive, got " + brokerSessionTimeoutMs + " and " + brokerHeartbeatIntervalMs);
        }
    }

    /** With Kafka's default session timeout and heartbeat interval. */
    public QuorumConfig(int nodeId, Path metadataDir, Map<Integer, String> voters) {
        this(nodeId, metadataDir, voters, DEFAULT_SESSION_TIMEOUT_MS, DEFAULT_HEARTBEAT_INTERVAL_MS);
    }
}
