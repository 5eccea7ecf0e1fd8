package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.kafka.clients.admin.ListTopicsOptions;

/**
 * The message browser ({@code /messages}, a GET form so that a search is a link): topic, partition ({@code all} or a
 * number), mode ({@code offset}, {@code timestamp} or {@code key}), the offset / timestamp (epoch ms or ISO-8601, UTC
 * when no zone is given) / key, the display format ({@link Formats}) and a limit (1-500, default 50).
 */
final class MessagesPage {
    static final List<String> MODES = List.of("offset", "timestamp", "key");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final Cluster cluster;

    MessagesPage(Cluster cluster) {
        this.cluster = cluster;
    }

    Response render(Request request) {
        String topic = request.param("topic");
        String mode = MODES.contains(request.param("mode")) ? request.param("mode") : "offset";
        String partitionParam = request.param("partition");
        String format = Formats.NAMES.contains(request.param("format")) ? request.param("format") : "text";
        int limit = Math.clamp(request.intParam("limit", DEFAULT_LIMIT), 1, MAX_LIMIT);
        List<String> topics = Cluster.get(cluster.admin().listTopics(new ListTopicsOptions().listInternal(true)).names())
                .stream().sorted().toList();
        StringBuilder b = new StringBuilder();
        b.append("<form class=\"inline\" method=\"get\" action=\"/messages\" role=\"search\">")
                .append("<label>Topic <input name=\"topic\" list=\"topics\" required value=\"").append(esc(topic))
                .append("\"></label><datalist id=\"topics\">");
        topics.forEach(t -> b.append("<option value=\"").append(esc(t)).append("\">"));
        b.append("</datalist>")
                .append(Html.input("Partition (empty: all)", "partition", partitionParam, "text", false))
                .append(Html.select("Find by", "mode", MODES, mode))
                .append(Html.input("Offset (negative: from the end)", "offset", request.param("offset"), "text", false))
                .append(Html.input("Timestamp (ms or ISO-8601)", "timestamp", request.param("timestamp"), "text", false))
                .append(Html.input("Key", "key", request.raw("key"), "text", false))
                .append(Html.select("Show as", "format", Formats.NAMES, format))
                .append(Html.input("Limit", "limit", Integer.toString(limit), "number", false))
                .append("<button type=\"submit\">Show messages</button></form>");
        if (topic.isEmpty()) {
            b.append("<p class=\"muted\">Choose a topic. By offset reads one partition (0 when empty) from the offset ")
                    .append("(-10: the last ten); ")
                    .append("by timestamp reads from the first message at or after the time; by key scans from the start.</p>");
            return Response.ok(Html.page("Messages", "/messages", null, b.toString()));
        }
        Integer partition = partitionParam.isEmpty() || partitionParam.equals("all") ? null : Integer.parseInt(partitionParam);
        MessageReader reader = new MessageReader(cluster);
        MessageReader.Result result = switch (mode) {
            case "timestamp" -> reader.fromTimestamp(topic, partition, timestamp(request.param("timestamp")), limit);
            case "key" -> reader.byKey(topic, partition, request.raw("key").getBytes(StandardCharsets.UTF_8), limit);
            default -> reader.fromOffset(topic, partition == null ? 0 : partition,
                    request.param("offset").isEmpty() ? 0 : Long.parseLong(request.param("offset")), limit);
        };
        table(b, result, Formats.of(format));
        return Response.ok(Html.page("Messages", "/messages", null, b.toString()));
    }

    private static void table(StringBuilder b, MessageReader.Result result, Formats format) {
        b.append("<p class=\"muted\" role=\"status\">").append(result.messages().size()).append(" message")
                .append(result.messages().size() == 1 ? "" : "s").append(" shown")
                .append(result.truncated() ? "; stopped at a limit before the end (" + result.scanned() + " read)" : "")
                .append(".</p>");
        b.append("<table id=\"messages\"><thead><tr><th scope=\"col\" class=\"num\">Partition</th>")
                .append("<th scope=\"col\" class=\"num\">Offset</th><th scope=\"col\">Timestamp</th><th scope=\"col\">Key</th>")
                .append("<th scope=\"col\">Value</th><th scope=\"col\">Headers</th></tr></thead><tbody>");
        for (MessageReader.Message m : result.messages()) {
            b.append("<tr><td class=\"num\">").append(m.partition()).append("</td><td class=\"num\">").append(m.offset())
                    .append("</td><td>").append(m.timestamp() < 0 ? "-" : esc(Instant.ofEpochMilli(m.timestamp())))
                    .append("</td><td>").append(cell(format.show(m.key()))).append("</td><td>")
                    .append(cell(format.show(m.value()))).append("</td><td>");
            for (MessageReader.Header h : m.headers()) {
                b.append("<div><span class=\"mono\">").append(esc(h.key())).append("</span>: ")
                        .append(cell(format.show(h.value()))).append("</div>");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    private static String cell(String shown) {
        return shown == null ? "<span class=\"muted\">null</span>" : "<pre>" + esc(shown) + "</pre>";
    }

    /** Epoch ms, or an ISO-8601 instant or local date-time (UTC). */
    static long timestamp(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }
}
