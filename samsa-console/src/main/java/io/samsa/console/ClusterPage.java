package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;

/**
 * The overview ({@code /}): cluster id, controller, brokers (DescribeCluster) and the metadata quorum
 * (DescribeQuorum, KIP-595/KIP-836: leader, epoch, high watermark, voters' and observers' log end offsets and lag).
 * A cluster that does not serve DescribeQuorum still shows its brokers.
 */
final class ClusterPage {
    private final Cluster cluster;

    ClusterPage(Cluster cluster) {
        this.cluster = cluster;
    }

    Response render(Request request) {
        Admin admin = cluster.admin();
        DescribeClusterResult described = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
        String clusterId = Cluster.get(described.clusterId());
        Node controller = Cluster.get(described.controller());
        Collection<Node> nodes = Cluster.get(described.nodes());
        StringBuilder b = new StringBuilder();
        b.append("<dl class=\"facts\"><dt>Cluster id</dt><dd class=\"mono\">").append(esc(clusterId))
                .append("</dd><dt>Controller</dt><dd>")
                .append(controller == null || controller.isEmpty() ? "none" : "broker " + controller.id())
                .append("</dd><dt>Brokers</dt><dd>").append(nodes.size()).append("</dd><dt>Topics</dt><dd>")
                .append(Cluster.get(admin.listTopics().names()).size()).append("</dd></dl>");
        b.append("<h2>Brokers</h2><table><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Host</th>")
                .append("<th scope=\"col\" class=\"num\">Port</th><th scope=\"col\">Rack</th><th scope=\"col\">Status</th>")
                .append("</tr></thead><tbody>");
        for (Node n : nodes.stream().sorted(Comparator.comparingInt(Node::id)).toList()) {
            boolean isController = controller != null && controller.id() == n.id();
            b.append("<tr><td>").append(n.id()).append("</td><td>").append(esc(n.host())).append("</td><td class=\"num\">")
                    .append(n.port()).append("</td><td>").append(n.hasRack() ? esc(n.rack()) : "<span class=\"muted\">-</span>")
                    .append("</td><td>").append(isController ? "controller" : "").append(n.isFenced() ? " <span class=\"warn\">fenced</span>" : "").append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>Metadata quorum</h2>");
        try {
            QuorumInfo quorum = Cluster.get(admin.describeMetadataQuorum().quorumInfo());
            b.append("<dl class=\"facts\"><dt>Leader</dt><dd>").append(quorum.leaderId()).append("</dd><dt>Epoch</dt><dd>")
                    .append(quorum.leaderEpoch()).append("</dd><dt>High watermark</dt><dd>")
                    .append(quorum.highWatermark()).append("</dd></dl>");
            replicas(b, "Voters", quorum.voters(), quorum.highWatermark());
            replicas(b, "Observers", quorum.observers(), quorum.highWatermark());
        } catch (Cluster.ClusterException e) {
            b.append("<p class=\"muted\">Not available: ").append(esc(e.getMessage())).append("</p>");
        }
        return Response.ok(Html.page("Cluster", "/", Html.Notice.from(request), b.toString()));
    }

    private static void replicas(StringBuilder b, String caption, List<QuorumInfo.ReplicaState> replicas, long hw) {
        b.append("<table><caption class=\"muted\">").append(caption).append("</caption><thead><tr>")
                .append("<th scope=\"col\">Node</th><th scope=\"col\" class=\"num\">Log end offset</th>")
                .append("<th scope=\"col\" class=\"num\">Lag</th><th scope=\"col\">Last caught up</th></tr></thead><tbody>");
        if (replicas.isEmpty()) {
            b.append("<tr><td colspan=\"4\" class=\"muted\">none</td></tr>");
        }
        for (QuorumInfo.ReplicaState r : replicas) {
            b.append("<tr><td>").append(r.replicaId()).append("</td><td class=\"num\">").append(r.logEndOffset())
                    .append("</td><td class=\"num\">").append(Math.max(0, hw - r.logEndOffset())).append("</td><td>")
                    .append(r.lastCaughtUpTimestamp().isPresent()
                            ? esc(Instant.ofEpochMilli(r.lastCaughtUpTimestamp().getAsLong()))
                            : "<span class=\"muted\">-</span>")
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
    }
}
