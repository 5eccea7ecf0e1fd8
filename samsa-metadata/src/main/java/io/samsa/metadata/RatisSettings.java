package io.samsa.metadata;

import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How Samsa names and tunes its Ratis group (see ratis.md §5 for the reasons behind each setting).
 *
 * <ul>
 *   <li>Group id: name-based UUID of {@code "samsa-metadata"}, the same on every node and every start.</li>
 *   <li>Peer id: {@code "node-<node.id>"}, stable across restarts, so a single voter whose port changed still
 *       finds its own vote and log (a one-voter group elects itself whatever address its old configuration
 *       recorded).</li>
 *   <li>Election timeout: 150–300 ms with a fast first election for a single voter (nobody to wait for);
 *       1–2 s for several voters (a JVM that also serves data traffic pauses).</li>
 *   <li>Snapshots: auto-triggered every {@code snapshotThreshold} entries, keep 2, purge the log up to the
 *       snapshot.</li>
 * </ul>
 */
final class RatisSettings {
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("samsa-metadata".getBytes(StandardCharsets.UTF_8)));
    private static final String PEER_PREFIX = "node-";

    private RatisSettings() {
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(PEER_PREFIX + nodeId);
    }

    /** The node id of a Samsa peer id, or -1 for a peer id Samsa did not make. */
    static int nodeId(RaftPeerId peerId) {
        String id = peerId.toString();
        try {
            return id.startsWith(PEER_PREFIX) ? Integer.parseInt(id.substring(PEER_PREFIX.length())) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The group of voters, with this node's address replaced by {@code selfAddress} (its resolved port). */
    static RaftGroup group(Map<Integer, String> voters, int selfNodeId, InetSocketAddress selfAddress) {
        var peers = new ArrayList<RaftPeer>();
        new TreeMap<>(voters).forEach((nodeId, address) -> peers.add(RaftPeer.newBuilder()
                .setId(peerId(nodeId))
                .setAddress(nodeId == selfNodeId ? hostPort(selfAddress) : address)
                .build()));
        return RaftGroup.valueOf(GROUP_ID, peers);
    }

    /**
     * Parses "host:port" (IPv6 as "[::1]:9093"); port 0 is replaced by a free port, which only a single voter may
     * ask for (the others would not know where to reach it).
     */
    static InetSocketAddress resolveSelf(String address, boolean singleVoter) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("Voter address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port == 0) {
            if (!singleVoter) {
                throw new IllegalArgumentException("Port 0 is only allowed for a single-voter quorum: " + address);
            }
            try (var socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                port = socket.getLocalPort();
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static RaftProperties serverProperties(Path metadataDir, InetSocketAddress self, boolean singleVoter,
                                           Tuning tuning) {
        var p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(metadataDir.toFile()));
        GrpcConfigKeys.Server.setHost(p, self.getHostString());
        GrpcConfigKeys.Server.setPort(p, self.getPort());
        if (singleVoter) {
            RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(150));
            RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(300));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, millis(10));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, millis(50));
        } else {
            RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(1000));
            RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(2000));
        }
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, tuning.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, tuning.snapshotOnStop());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        return p;
    }

    static RaftProperties clientProperties(Duration requestTimeout) {
        var p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(Math.min(requestTimeout.toMillis(), 3000)));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1000);
        return p;
    }

    static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }
}
