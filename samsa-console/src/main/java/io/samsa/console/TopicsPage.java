package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The topic list ({@code /topics}): partitions, replication factor, under-replicated partitions and size on disk
 * (DescribeLogDirs, summed over every replica) per topic, and the create form ({@code POST /topics}).
 */
final class TopicsPage {
    private final Cluster cluster;
    private final String csrfToken;

    TopicsPage(Cluster cluster, String csrfToken) {
        this.cluster = cluster;
        this.csrfToken = csrfToken;
    }

    Response render(Request request) {
        Admin admin = cluster.admin();
        List<String> names = Cluster.get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names())
                .stream().sorted().toList();
        Map<String, TopicDescription> topics = new TreeMap<>(Cluster.get(admin.describeTopics(names).allTopicNames()));
        Map<String, Long> sizes = sizesByTopic(admin);
        StringBuilder b = new StringBuilder();
        b.append("<h2>Create a topic</h2><form class=\"inline\" method=\"post\" action=\"/topics\">")
                .append(Html.csrf(csrfToken))
                .append(Html.input("Name", "name", "", "text", true))
                .append(Html.input("Partitions", "partitions", "1", "number", true))
                .append(Html.input("Replication factor (empty: broker default)", "replicationFactor", "", "number", false))
                .append("<button type=\"submit\">Create topic</button></form>");
        b.append("<h2>Topics</h2><table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\" class=\"num\">Partitions</th>")
                .append("<th scope=\"col\" class=\"num\">Replication factor</th><th scope=\"col\" class=\"num\">Under-replicated</th>")
                .append("<th scope=\"col\" class=\"num\">Size</th></tr></thead><tbody>");
        for (TopicDescription t : topics.values()) {
            int rf = t.partitions().isEmpty() ? 0 : t.partitions().getFirst().replicas().size();
            long under = t.partitions().stream().filter(p -> p.isr().size() < p.replicas().size()).count();
            b.append("<tr><td><a href=\"/topics/").append(esc(Html.url(t.name()))).append("\">").append(esc(t.name()))
                    .append("</a>").append(t.isInternal() ? " <span class=\"muted\">(internal)</span>" : "")
                    .append("</td><td class=\"num\">").append(t.partitions().size()).append("</td><td class=\"num\">")
                    .append(rf).append("</td><td class=\"num").append(under > 0 ? " warn" : "").append("\">").append(under)
                    .append("</td><td class=\"num\">").append(Optional.ofNullable(sizes.get(t.name())).map(Sizes::bytes)
                            .orElse("<span class=\"muted\">-</span>"))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        return Response.ok(Html.page("Topics", "/topics", Html.Notice.from(request), b.toString()));
    }

    /** {@code POST /topics}: creates the topic and redirects to it. */
    Response create(Request request) {
        String name = request.param("name");
        int partitions = request.intParam("partitions", -1);
        String rfParam = request.param("replicationFactor");
        Optional<Short> rf = rfParam.isEmpty() ? Optional.empty() : Optional.of(Short.parseShort(rfParam));
        NewTopic topic = new NewTopic(name, Optional.of(partitions), rf);
        Cluster.get(cluster.admin().createTopics(List.of(topic)).all());
        return new Response.Redirect("/topics/" + Html.url(name) + "?msg=" + Html.url("Created topic " + name));
    }

    /** Bytes on disk per topic over every replica's log dir; empty when DescribeLogDirs is not available. */
    static Map<String, Long> sizesByTopic(Admin admin) {
        return sizesByPartition(admin).entrySet().stream().collect(
                java.util.stream.Collectors.toMap(e -> e.getKey().topic(), Map.Entry::getValue, Long::sum));
    }

    /** Bytes on disk per partition summed over its replicas; empty when DescribeLogDirs is not available. */
    static Map<TopicPartition, Long> sizesByPartition(Admin admin) {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        try {
            List<Integer> brokers = Cluster.get(admin.describeCluster().nodes()).stream().map(Node::id).toList();
            Map<Integer, Map<String, LogDirDescription>> dirs = Cluster.get(admin.describeLogDirs(brokers).allDescriptions());
            for (Map<String, LogDirDescription> byDir : dirs.values()) {
                for (LogDirDescription dir : byDir.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> r : dir.replicaInfos().entrySet()) {
                        sizes.merge(r.getKey(), r.getValue().size(), Long::sum);
                    }
                }
            }
        } catch (Cluster.ClusterException e) {
            return Map.of();
        }
        return sizes;
    }

    /** The replicas of a partition as a comma-separated list of broker ids. */
    static String ids(List<Node> nodes) {
        return String.join(", ", nodes.stream().map(n -> Integer.toString(n.id())).toList());
    }

    /** Whether the partition's ISR is short of its replicas. */
    static boolean underReplicated(TopicPartitionInfo p) {
        return p.isr().size() < p.replicas().size();
    }
}
