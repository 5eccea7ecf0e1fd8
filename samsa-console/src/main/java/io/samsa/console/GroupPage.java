package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumer group ({@code /groups/ID}): state, coordinator, members with their assignments, lag per partition, a
 * live lag chart ({@code /groups/ID/lag.svg}, refreshed by a four-line inline script every
 * {@link LagHistory#INTERVAL_MS}) and the reset-offsets form ({@code POST /groups/ID/reset}; Kafka refuses it while the
 * group has members).
 */
final class GroupPage {
    static final List<String> RESET_TO = List.of("earliest", "latest", "offset", "timestamp");
    /** Reloads the chart every sampling interval (the page's only script; allowed by its hash in the CSP). */
    static final String LIVE_SCRIPT = "setInterval(function(){var i=document.getElementById('lag-chart');"
            + "i.src=i.src.split('?')[0]+'?t='+Date.now();}," + LagHistory.INTERVAL_MS + ");";

    private final Cluster cluster;
    private final LagHistory history;
    private final Clock clock;
    private final String csrfToken;

    GroupPage(Cluster cluster, LagHistory history, Clock clock, String csrfToken) {
        this.cluster = cluster;
        this.history = history;
        this.clock = clock;
        this.csrfToken = csrfToken;
    }

    Response render(Request request, String groupId) {
        Admin admin = cluster.admin();
        ConsumerGroupDescription group = Cluster.get(admin.describeConsumerGroups(List.of(groupId)).all()).get(groupId);
        Set<TopicPartition> assigned = new HashSet<>();
        group.members().forEach(m -> assigned.addAll(m.assignment().topicPartitions()));
        GroupLag lag = GroupLag.fetch(admin, groupId, assigned);
        history.viewed(groupId, lag);
        String path = "/groups/" + esc(Html.url(groupId));
        StringBuilder b = new StringBuilder();
        b.append("<dl class=\"facts\"><dt>State</dt><dd>").append(esc(group.groupState())).append("</dd><dt>Type</dt><dd>")
                .append(esc(group.type())).append("</dd><dt>Coordinator</dt><dd>")
                .append(group.coordinator() == null ? "-" : "broker " + group.coordinator().id())
                .append("</dd><dt>Assignor</dt><dd>").append(esc(group.partitionAssignor()))
                .append("</dd><dt>Total lag</dt><dd id=\"total-lag\">").append(lag.total()).append("</dd></dl>");
        b.append("<h2>Lag</h2><figure><img id=\"lag-chart\" src=\"").append(path).append("/lag.svg\" width=\"760\" ")
                .append("height=\"240\" alt=\"Line chart of the group's lag per partition up to the last ")
                .append(LagHistory.WINDOW_MS / 60_000).append(" minutes; the table below has the current values\">")
                .append("<figcaption>Sampled every ").append(LagHistory.INTERVAL_MS / 1000)
                .append(" s while this page was viewed in the last ").append(LagHistory.WINDOW_MS / 60_000)
                .append(" minutes; kept in the console's memory.</figcaption></figure>")
                .append("<script>").append(LIVE_SCRIPT).append("</script>");
        b.append("<table id=\"lag\"><thead><tr><th scope=\"col\">Topic</th><th scope=\"col\" class=\"num\">Partition</th>")
                .append("<th scope=\"col\" class=\"num\">Committed offset</th><th scope=\"col\" class=\"num\">End offset</th>")
                .append("<th scope=\"col\" class=\"num\">Lag</th><th scope=\"col\">Member</th></tr></thead><tbody>");
        Map<TopicPartition, String> owner = new HashMap<>();
        group.members().forEach(m -> m.assignment().topicPartitions().forEach(tp -> owner.put(tp, m.consumerId())));
        Set<TopicPartition> rows = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        rows.addAll(lag.committed().keySet());
        Map<TopicPartition, Long> lags = lag.lag();
        for (TopicPartition tp : rows) {
            long committed = lag.committed().get(tp);
            b.append("<tr><td>").append(esc(tp.topic())).append("</td><td class=\"num\">").append(tp.partition())
                    .append("</td><td class=\"num\">").append(committed < 0 ? "-" : committed).append("</td><td class=\"num\">")
                    .append(lag.end().getOrDefault(tp, -1L) < 0 ? "-" : lag.end().get(tp)).append("</td><td class=\"num\">")
                    .append(lags.containsKey(tp) ? lags.get(tp) : "-").append("</td><td class=\"mono\">")
                    .append(esc(owner.getOrDefault(tp, ""))).append("</td></tr>");
        }
        b.append("</tbody></table>");
        members(b, group);
        reset(b, path, rows);
        return Response.ok(Html.page("Group " + groupId, "/groups", Html.Notice.from(request), b.toString()));
    }

    private static void members(StringBuilder b, ConsumerGroupDescription group) {
        b.append("<h2>Members</h2><table><thead><tr><th scope=\"col\">Member id</th><th scope=\"col\">Client id</th>")
                .append("<th scope=\"col\">Host</th><th scope=\"col\">Assignment</th></tr></thead><tbody>");
        if (group.members().isEmpty()) {
            b.append("<tr><td colspan=\"4\" class=\"muted\">No active members</td></tr>");
        }
        for (MemberDescription m : group.members()) {
            List<String> parts = new ArrayList<>();
            m.assignment().topicPartitions().stream().sorted(java.util.Comparator.comparing(TopicPartition::toString))
                    .forEach(tp -> parts.add(tp.toString()));
            b.append("<tr><td class=\"mono\">").append(esc(m.consumerId())).append("</td><td>").append(esc(m.clientId()))
                    .append("</td><td>").append(esc(m.host())).append("</td><td>").append(esc(String.join(", ", parts)))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    private void reset(StringBuilder b, String path, Set<TopicPartition> partitions) {
        List<String> topics = new ArrayList<>();
        topics.add("all topics");
        partitions.stream().map(TopicPartition::topic).distinct().forEach(topics::add);
        b.append("<h2>Reset offsets</h2><p class=\"muted\">Only while the group has no active members.</p>")
                .append("<form class=\"inline\" method=\"post\" action=\"").append(path).append("/reset\">")
                .append(Html.csrf(csrfToken)).append(Html.select("Topic", "topic", topics, "all topics"))
                .append(Html.select("Reset to", "to", RESET_TO, "earliest"))
                .append(Html.input("Offset or timestamp (ms / ISO-8601)", "value", "", "text", false))
                .append("<button type=\"submit\">Reset offsets</button></form>");
    }

    /** The lag chart of the group as SVG. */
    Response chart(String groupId) {
        history.touch(groupId);
        return new Response.Svg(LagChart.svg(groupId, history.samples(groupId), clock.millis()));
    }

    /** {@code POST /groups/ID/reset}: commits new offsets for the group's committed partitions (of one topic or all). */
    Response reset(Request request, String groupId) {
        Admin admin = cluster.admin();
        String topic = request.param("topic");
        Map<TopicPartition, OffsetAndMetadata> current = Cluster.get(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        List<TopicPartition> partitions = current.keySet().stream()
                .filter(tp -> topic.isEmpty() || topic.equals("all topics") || tp.topic().equals(topic)).toList();
        String to = request.param("to");
        Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
        if (to.equals("offset")) {
            long offset = Long.parseLong(request.param("value"));
            partitions.forEach(tp -> target.put(tp, new OffsetAndMetadata(offset)));
        } else {
            OffsetSpec spec = switch (to) {
                case "latest" -> OffsetSpec.latest();
                case "timestamp" -> OffsetSpec.forTimestamp(MessagesPage.timestamp(request.param("value")));
                default -> OffsetSpec.earliest();
            };
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, spec));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Cluster.get(admin.listOffsets(query).all()).forEach((tp, info) -> {
                if (info.offset() >= 0) {
                    target.put(tp, new OffsetAndMetadata(info.offset()));
                } else {
                    latest.put(tp, OffsetSpec.latest()); // no message at or after the timestamp: the end
                }
            });
            if (!latest.isEmpty()) {
                Cluster.get(admin.listOffsets(latest).all())
                        .forEach((tp, info) -> target.put(tp, new OffsetAndMetadata(info.offset())));
            }
        }
        Cluster.get(admin.alterConsumerGroupOffsets(groupId, target).all());
        return new Response.Redirect("/groups/" + Html.url(groupId) + "?msg="
                + Html.url("Reset " + target.size() + " partition offsets to " + to));
    }
}
