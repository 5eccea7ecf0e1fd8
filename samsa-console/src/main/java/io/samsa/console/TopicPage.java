package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * One topic ({@code /topics/NAME}): partitions with leader, replicas, ISR, size and offsets; its configs; forms to
 * alter a config (IncrementalAlterConfigs SET/DELETE), add partitions (CreatePartitions) and delete it, the last behind
 * a confirmation page where the user types the topic's name ({@code /topics/NAME/delete}).
 */
final class TopicPage {
    private final Cluster cluster;
    private final String csrfToken;

    TopicPage(Cluster cluster, String csrfToken) {
        this.cluster = cluster;
        this.csrfToken = csrfToken;
    }

    Response render(Request request, String name) {
        Admin admin = cluster.admin();
        TopicDescription topic = Cluster.get(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
        Map<TopicPartition, Long> sizes = TopicsPage.sizesByPartition(admin);
        Map<TopicPartition, Long> earliest = offsets(admin, topic, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(admin, topic, OffsetSpec.latest());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Collection<ConfigEntry> configs = Cluster.get(admin.describeConfigs(List.of(resource)).all())
                .get(resource).entries();
        String path = "/topics/" + esc(Html.url(name));
        StringBuilder b = new StringBuilder();
        b.append("<dl class=\"facts\"><dt>Topic id</dt><dd class=\"mono\">").append(esc(topic.topicId()))
                .append("</dd><dt>Partitions</dt><dd>").append(topic.partitions().size())
                .append("</dd><dt>Messages</dt><dd><a href=\"/messages?topic=").append(esc(Html.url(name)))
                .append("\">Browse messages</a></dd></dl>");
        b.append("<h2>Partitions</h2><table><thead><tr><th scope=\"col\" class=\"num\">Partition</th>")
                .append("<th scope=\"col\">Leader</th><th scope=\"col\">Replicas</th><th scope=\"col\">In-sync replicas</th>")
                .append("<th scope=\"col\" class=\"num\">Log start offset</th><th scope=\"col\" class=\"num\">End offset</th>")
                .append("<th scope=\"col\" class=\"num\">Size</th></tr></thead><tbody>");
        for (TopicPartitionInfo p : topic.partitions()) {
            TopicPartition tp = new TopicPartition(name, p.partition());
            b.append("<tr><td class=\"num\">").append(p.partition()).append("</td><td>")
                    .append(p.leader() == null || p.leader().isEmpty() ? "<span class=\"warn\">none</span>" : p.leader().id())
                    .append("</td><td>").append(TopicsPage.ids(p.replicas())).append("</td><td")
                    .append(TopicsPage.underReplicated(p) ? " class=\"warn\"" : "").append('>')
                    .append(TopicsPage.ids(p.isr())).append("</td><td class=\"num\">").append(orDash(earliest.get(tp)))
                    .append("</td><td class=\"num\">").append(orDash(latest.get(tp))).append("</td><td class=\"num\">")
                    .append(sizes.containsKey(tp) ? Sizes.bytes(sizes.get(tp)) : "-").append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>Add partitions</h2><form class=\"inline\" method=\"post\" action=\"").append(path)
                .append("/partitions\">").append(Html.csrf(csrfToken))
                .append(Html.input("New total partition count", "count", Integer.toString(topic.partitions().size() + 1),
                        "number", true))
                .append("<button type=\"submit\">Add partitions</button></form>");
        configs(b, configs, path);
        b.append("<h2>Delete</h2><p><a href=\"").append(path).append("/delete\">Delete topic ").append(esc(name))
                .append("…</a> (asks for confirmation)</p>");
        return Response.ok(Html.page("Topic " + name, "/topics", Html.Notice.from(request), b.toString()));
    }

    private void configs(StringBuilder b, Collection<ConfigEntry> configs, String path) {
        List<ConfigEntry> sorted = configs.stream().sorted(Comparator.comparing(ConfigEntry::name)).toList();
        List<ConfigEntry> set = sorted.stream().filter(e -> !e.isDefault()).toList();
        b.append("<h2>Configs</h2>");
        b.append("<form class=\"inline\" method=\"post\" action=\"").append(path).append("/config\">")
                .append(Html.csrf(csrfToken)).append(Html.input("Config key", "key", "", "text", true))
                .append(Html.input("Value (empty with Delete)", "value", "", "text", false))
                .append(Html.select("Operation", "op", List.of("set", "delete"), "set"))
                .append("<button type=\"submit\">Apply</button></form>");
        table(b, set, "Set on this topic or the broker");
        b.append("<details><summary>All ").append(sorted.size()).append(" configs</summary>");
        table(b, sorted, "All configs");
        b.append("</details>");
    }

    private static void table(StringBuilder b, List<ConfigEntry> entries, String caption) {
        b.append("<table><caption class=\"muted\">").append(esc(caption)).append("</caption><thead><tr>")
                .append("<th scope=\"col\">Key</th><th scope=\"col\">Value</th><th scope=\"col\">Source</th></tr></thead><tbody>");
        if (entries.isEmpty()) {
            b.append("<tr><td colspan=\"3\" class=\"muted\">none</td></tr>");
        }
        for (ConfigEntry e : entries) {
            b.append("<tr><td class=\"mono\">").append(esc(e.name())).append("</td><td class=\"mono\">")
                    .append(e.isSensitive() ? "<span class=\"muted\">(sensitive)</span>" : esc(e.value()))
                    .append("</td><td>").append(esc(e.source())).append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    /** {@code POST /topics/NAME/config}: sets or deletes one topic config. */
    Response alterConfig(Request request, String name) {
        String key = request.param("key");
        boolean delete = "delete".equals(request.param("op"));
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry(key, delete ? null : request.param("value")),
                delete ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Cluster.get(cluster.admin().incrementalAlterConfigs(Map.of(resource, List.of(op))).all());
        return redirect(name, (delete ? "Deleted config " : "Set config ") + key);
    }

    /** {@code POST /topics/NAME/partitions}: raises the partition count. */
    Response addPartitions(Request request, String name) {
        int count = request.intParam("count", -1);
        Cluster.get(cluster.admin().createPartitions(Map.of(name, NewPartitions.increaseTo(count))).all());
        return redirect(name, "Topic now has " + count + " partitions");
    }

    /** {@code GET /topics/NAME/delete}: the confirmation form. */
    Response confirmDelete(Request request, String name) {
        String body = "<p>Deleting <strong>" + esc(name) + "</strong> removes all its messages on every broker. "
                + "This cannot be undone.</p><form class=\"inline\" method=\"post\" action=\"/topics/"
                + esc(Html.url(name)) + "/delete\">" + Html.csrf(csrfToken)
                + Html.input("Type the topic name to confirm", "confirm", "", "text", true)
                + "<button type=\"submit\" class=\"danger\">Delete topic</button></form><p><a href=\"/topics/"
                + esc(Html.url(name)) + "\">Cancel</a></p>";
        return Response.ok(Html.page("Delete topic " + name, "/topics", Html.Notice.from(request), body));
    }

    /** {@code POST /topics/NAME/delete}: deletes the topic when the typed name matches. */
    Response delete(Request request, String name) {
        if (!name.equals(request.raw("confirm"))) {
            return new Response.Redirect("/topics/" + Html.url(name) + "/delete?msg="
                    + Html.url("The name typed does not match; the topic was not deleted"));
        }
        Cluster.get(cluster.admin().deleteTopics(List.of(name)).all());
        return new Response.Redirect("/topics?msg=" + Html.url("Deleted topic " + name));
    }

    private static Response redirect(String name, String message) {
        return new Response.Redirect("/topics/" + Html.url(name) + "?msg=" + Html.url(message));
    }

    private static String orDash(Long value) {
        return value == null ? "-" : Long.toString(value);
    }

    /** The offsets of every partition of {@code topic} for {@code spec}; empty on failure. */
    static Map<TopicPartition, Long> offsets(Admin admin, TopicDescription topic, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        topic.partitions().forEach(p -> request.put(new TopicPartition(topic.name(), p.partition()), spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        try {
            Map<TopicPartition, ListOffsetsResultInfo> result = Cluster.get(admin.listOffsets(request).all());
            result.forEach((tp, info) -> out.put(tp, info.offset()));
        } catch (Cluster.ClusterException e) {
            return Map.of();
        }
        return out;
    }
}
