package io.samsa.console;

import java.util.List;

/**
 * HTML output for the console's pages: escaping of every value that comes from the cluster or the request, the page
 * frame (navigation, inline stylesheet: no external fonts, scripts or CSS) and small form helpers.
 *
 * <p>Stateless and thread-safe. Escaping follows the OWASP rule for element content and quoted attribute values:
 * {@code & < > " '} become entities, so a topic name, key or value can never open a tag or leave an attribute.
 */
final class Html {
    private static final String STYLE = """
            :root{color-scheme:light dark;--fg:#1b1f23;--bg:#fff;--muted:#59636e;--line:#d0d7de;--accent:#0b5cad;--warn:#9a3412;--ok:#166534}
            @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--accent:#58a6ff;--warn:#f0883e;--ok:#3fb950}}
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
            header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;border-bottom:1px solid var(--line)}
            header .brand{font-weight:700;font-size:1.1rem;color:var(--fg);text-decoration:none}
            nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0;flex-wrap:wrap}
            nav a{color:var(--accent);text-decoration:none;padding:.2rem .1rem}
            nav a[aria-current=page]{font-weight:700;border-bottom:2px solid var(--accent)}
            main{padding:1rem 1.2rem;max-width:1400px}
            h1{font-size:1.4rem;margin:.2rem 0 1rem} h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
            table{border-collapse:collapse;margin:.4rem 0 1rem;font-variant-numeric:tabular-nums}
            th,td{border-bottom:1px solid var(--line);padding:.3rem .7rem;text-align:left;vertical-align:top}
            th{font-weight:600;color:var(--muted)} td.num,th.num{text-align:right}
            code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
            pre{margin:0;white-space:pre-wrap;word-break:break-all;max-width:70ch}
            form.inline{display:flex;gap:.6rem;align-items:end;flex-wrap:wrap;margin:.4rem 0 1rem}
            label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);gap:.15rem}
            input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
            button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
            button.danger{background:var(--warn);border-color:var(--warn)}
            a{color:var(--accent)} .muted{color:var(--muted)} .warn{color:var(--warn)} .ok{color:var(--ok)}
            .notice{border-left:4px solid var(--accent);padding:.4rem .8rem;margin:0 0 1rem;background:color-mix(in srgb,var(--accent) 8%,transparent)}
            .error{border-left-color:var(--warn);background:color-mix(in srgb,var(--warn) 10%,transparent)}
            dl.facts{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem;margin:0 0 1rem} dl.facts dt{color:var(--muted)} dl.facts dd{margin:0}
            caption{text-align:left;padding:.2rem 0} input[type=number]{width:8rem}
            figure{margin:.5rem 0 1rem} figcaption{color:var(--muted);font-size:.85rem}
            .skip{position:absolute;left:-999px} .skip:focus{left:.5rem;top:.5rem;background:var(--bg);padding:.3rem}
            :focus-visible{outline:2px solid var(--accent);outline-offset:2px}
            details{margin:.4rem 0 1rem} summary{cursor:pointer;color:var(--accent)}
            """;

    /** The pages of the navigation bar: path and label. */
    private static final List<String[]> NAV = List.of(
            new String[] {"/", "Cluster"},
            new String[] {"/topics", "Topics"},
            new String[] {"/messages", "Messages"},
            new String[] {"/groups", "Consumer groups"},
            new String[] {"/acls", "ACLs"},
            new String[] {"/transactions", "Transactions"});

    private Html() {
    }

    /** {@code value} escaped for element content and quoted attributes; {@code null} becomes the empty string. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** {@code value} percent-encoded for a URL path segment or query value (then HTML-escape the whole URL). */
    static String url(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A whole page: {@code title} (escaped here), the navigation with {@code navPath} marked current, an optional
     * notice ({@code notice} text, escaped) and {@code body} (already HTML).
     */
    static String page(String title, String navPath, Notice notice, String body) {
        StringBuilder b = new StringBuilder(body.length() + 4096);
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Samsa console</title><style>").append(STYLE)
                .append("</style></head><body><a class=\"skip\" href=\"#main\">Skip to content</a>")
                .append("<header><a class=\"brand\" href=\"/\">Samsa console</a>")
                .append("<nav aria-label=\"Main\"><ul>");
        for (String[] item : NAV) {
            b.append("<li><a href=\"").append(item[0]).append('"');
            if (item[0].equals(navPath)) {
                b.append(" aria-current=\"page\"");
            }
            b.append('>').append(item[1]).append("</a></li>");
        }
        b.append("</ul></nav></header><main id=\"main\"><h1>").append(esc(title)).append("</h1>");
        if (notice != null) {
            b.append("<p class=\"notice").append(notice.error() ? " error" : "").append("\" role=\"")
                    .append(notice.error() ? "alert" : "status").append("\">").append(esc(notice.text()))
                    .append("</p>");
        }
        return b.append(body).append("</main></body></html>\n").toString();
    }

    /** The hidden CSRF field every POST form carries. */
    static String csrf(String token) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\">";
    }

    /** A labelled text input. */
    static String input(String label, String name, String value, String type, boolean required) {
        return "<label>" + esc(label) + " <input type=\"" + type + "\" name=\"" + name + "\" value=\"" + esc(value)
                + "\"" + (required ? " required" : "") + "></label>";
    }

    /** A labelled select of {@code options} (value = label) with {@code selected} chosen. */
    static String select(String label, String name, List<String> options, String selected) {
        StringBuilder b = new StringBuilder("<label>").append(esc(label)).append(" <select name=\"").append(name)
                .append("\">");
        for (String o : options) {
            b.append("<option value=\"").append(esc(o)).append('"').append(o.equals(selected) ? " selected" : "")
                    .append('>').append(esc(o)).append("</option>");
        }
        return b.append("</select></label>").toString();
    }

    /** A message shown above a page's content: the outcome of an action, or an error. */
    record Notice(String text, boolean error) {
        /** The notice a redirect asked for: {@code err} (an error) or {@code msg} (an outcome); null if neither. */
        static Notice from(Request request) {
            return !request.param("err").isEmpty() ? error(request.param("err")) : info(request.param("msg"));
        }

        static Notice info(String text) {
            return text == null || text.isEmpty() ? null : new Notice(text, false);
        }

        static Notice error(String text) {
            return new Notice(text, true);
        }
    }
}
