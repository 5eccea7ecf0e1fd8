package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Draws a group's lag samples as a standalone SVG line chart: time on x (now at the right, back to the oldest sample:
 * at least {@value #MIN_SPAN_MS} ms, at most {@link LagHistory#WINDOW_MS}), lag in messages on y (0 to the largest value seen); one line for the total and one per partition (the
 * first {@value #MAX_LINES}), with a legend. Stateless; the output escapes topic names.
 */
final class LagChart {
    static final int MAX_LINES = 8;
    static final long MIN_SPAN_MS = 60_000;
    private static final int W = 760;
    private static final int H = 240;
    private static final int LEFT = 64;
    private static final int RIGHT = 190;
    private static final int TOP = 16;
    private static final int BOTTOM = 32;
    private static final String[] COLORS = {"#0b5cad", "#d9480f", "#2b8a3e", "#862e9c", "#c2255c", "#1098ad", "#5f3dc4",
        "#e67700", "#495057"};

    private LagChart() {
    }

    static String svg(String groupId, List<LagHistory.Sample> samples, long nowMs) {
        long max = 1;
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (LagHistory.Sample s : samples) {
            max = Math.max(max, s.total());
            partitions.addAll(s.lag().keySet());
        }
        List<TopicPartition> lines = partitions.stream().sorted(java.util.Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition)).limit(MAX_LINES).toList();
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">")
                .append("<title>Lag of group ").append(esc(groupId)).append(" over the last ")
                .append(LagHistory.WINDOW_MS / 60_000).append(" minutes</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" fill=\"#fff\"/>");
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4;
            b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"").append(f(y))
                    .append("\" y2=\"").append(f(y)).append("\" stroke=\"#d0d7de\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\" fill=\"#59636e\">").append(max * i / 4).append("</text>");
        }
        long span = span(samples, nowMs);
        for (int i = 0; i <= 5; i++) {
            long ago = span * i / 5;
            double x = LEFT + plotW - plotW * i / 5;
            b.append("<text x=\"").append(f(x)).append("\" y=\"").append(H - 10)
                    .append("\" text-anchor=\"middle\" fill=\"#59636e\">").append(i == 0 ? "now" : ago(ago))
                    .append("</text>");
        }
        line(b, samples, null, max, nowMs, span, COLORS[0], 2.5);
        legend(b, 0, COLORS[0], "total");
        for (int i = 0; i < lines.size(); i++) {
            String color = COLORS[(i + 1) % COLORS.length];
            line(b, samples, lines.get(i), max, nowMs, span, color, 1.2);
            legend(b, i + 1, color, lines.get(i).topic() + "-" + lines.get(i).partition());
        }
        if (samples.isEmpty()) {
            b.append("<text x=\"").append(LEFT + 10).append("\" y=\"").append(TOP + 20)
                    .append("\" fill=\"#59636e\">No samples yet</text>");
        }
        return b.append("</svg>").toString();
    }

    /** The time the x axis covers, ms: back to the oldest sample, within [MIN_SPAN_MS, WINDOW_MS]. */
    static long span(List<LagHistory.Sample> samples, long nowMs) {
        long oldest = samples.isEmpty() ? nowMs : samples.getFirst().timeMs();
        return Math.clamp(nowMs - oldest, MIN_SPAN_MS, LagHistory.WINDOW_MS);
    }

    private static String ago(long ms) {
        return ms % 60_000 == 0 ? "-" + ms / 60_000 + " min" : "-" + Math.round(ms / 1000.0) + " s";
    }

    private static void line(StringBuilder b, List<LagHistory.Sample> samples, TopicPartition tp, long max, long nowMs,
            long span, String color, double width) {
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder points = new StringBuilder();
        for (LagHistory.Sample s : samples) {
            long v = tp == null ? s.total() : s.lag().getOrDefault(tp, 0L);
            double x = LEFT + plotW - plotW * Math.clamp(nowMs - s.timeMs(), 0, span) / span;
            double y = TOP + plotH - plotH * v / max;
            points.append(f(x)).append(',').append(f(y)).append(' ');
        }
        if (samples.size() == 1) {
            String[] xy = points.toString().trim().split(",");
            b.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"3\" fill=\"")
                    .append(color).append("\"/>");
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(width)
                .append("\" points=\"").append(points.toString().trim()).append("\"/>");
    }

    private static void legend(StringBuilder b, int row, String color, String label) {
        int x = W - RIGHT + 14;
        int y = TOP + 6 + row * 18;
        b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"12\" height=\"4\" fill=\"")
                .append(color).append("\"/><text x=\"").append(x + 18).append("\" y=\"").append(y + 6).append("\">")
                .append(esc(label.length() > 24 ? label.substring(0, 23) + "…" : label)).append("</text>");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
