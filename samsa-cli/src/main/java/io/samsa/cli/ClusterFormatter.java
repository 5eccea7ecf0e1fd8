package io.samsa.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;

/**
 * The text of {@code cluster describe}: header lines ({@code ClusterId}, {@code Controller}), a broker table
 * ({@code ID HOST:PORT RACK FENCED}, by id) and the quorum (leader, epoch, high watermark, then a voter table
 * {@code NODE ROLE LOG-END-OFFSET LAG LAST-FETCH-MS-AGO LAST-CAUGHT-UP-MS-AGO}; lag in log entries behind the leader's
 * log end offset as kafka-metadata-quorum computes it, times in ms before {@code nowMs}, {@code -} when unknown).
 * Pure.
 */
final class ClusterFormatter {
    private ClusterFormatter() {
    }

    /** {@code quorum} null: the broker does not serve DescribeQuorum. */
    static List<String> format(String clusterId, Node controller, Collection<Node> brokers, QuorumInfo quorum,
                               long nowMs) {
        List<String> lines = new ArrayList<>();
        lines.add("ClusterId: " + clusterId);
        lines.add("Controller: " + (controller == null || controller.isEmpty() ? "none" : controller.id()));
        lines.add("Brokers: " + brokers.size());
        TextTable table = new TextTable("ID", "HOST:PORT", "RACK", "FENCED");
        brokers.stream().sorted(Comparator.comparingInt(Node::id)).forEach(b -> table.add(b.id(),
                b.host() + ":" + b.port(), b.rack(), b.isFenced()));
        lines.addAll(print(table));
        if (quorum == null) {
            lines.add("Quorum: not available (the broker does not serve DescribeQuorum)");
            return lines;
        }
        lines.add("Quorum: leader " + quorum.leaderId() + ", epoch " + quorum.leaderEpoch() + ", high watermark "
                + quorum.highWatermark() + ", voters " + quorum.voters().stream()
                        .map(v -> Integer.toString(v.replicaId())).collect(Collectors.joining(",")));
        long leaderEnd = quorum.voters().stream().filter(v -> v.replicaId() == quorum.leaderId())
                .mapToLong(QuorumInfo.ReplicaState::logEndOffset).findFirst().orElse(-1);
        TextTable voters = new TextTable("NODE", "ROLE", "LOG-END-OFFSET", "LAG", "LAST-FETCH-MS-AGO",
                "LAST-CAUGHT-UP-MS-AGO");
        addReplicas(voters, quorum.voters(), quorum.leaderId(), leaderEnd, nowMs, false);
        addReplicas(voters, quorum.observers(), quorum.leaderId(), leaderEnd, nowMs, true);
        lines.addAll(print(voters));
        return lines;
    }

    private static void addReplicas(TextTable table, List<QuorumInfo.ReplicaState> replicas, int leaderId,
                                    long leaderEnd, long nowMs, boolean observers) {
        for (QuorumInfo.ReplicaState r : replicas) {
            String role = observers ? "Observer" : r.replicaId() == leaderId ? "Leader" : "Follower";
            boolean known = r.logEndOffset() >= 0 && leaderEnd >= 0;
            table.add(r.replicaId(), role, r.logEndOffset() >= 0 ? r.logEndOffset() : null,
                    known ? Math.max(leaderEnd - r.logEndOffset(), 0) : null, ago(r.lastFetchTimestamp(), nowMs),
                    ago(r.lastCaughtUpTimestamp(), nowMs));
        }
    }

    private static Long ago(OptionalLong timestampMs, long nowMs) {
        return timestampMs.isPresent() ? Math.max(nowMs - timestampMs.getAsLong(), 0) : null;
    }

    private static List<String> print(TextTable table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        return text.toString().lines().toList();
    }
}
