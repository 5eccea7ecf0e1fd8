package io.samsa.console;

/**
 * A strict RFC 8259 JSON reader that re-emits its input pretty-printed (two-space indent), for the message browser.
 * Returns {@code null} when the text is not one JSON value, so the caller shows it as text instead. Numbers and strings
 * are copied as written (no re-encoding). Stateless; each call uses its own parser. Nesting deeper than
 * {@value #MAX_DEPTH} is treated as not JSON (no stack overflow on hostile values).
 */
final class Json {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private final StringBuilder out;
    private int i;

    private Json(String s) {
        this.s = s;
        this.out = new StringBuilder(s.length() + s.length() / 2);
    }

    /** {@code text} pretty-printed, or {@code null} if it is not a single JSON value. */
    static String pretty(String text) {
        Json p = new Json(text);
        try {
            p.ws();
            p.value(0);
            p.ws();
            return p.i == text.length() ? p.out.toString() : null;
        } catch (IllegalStateException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("too deep");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{' -> container(depth, '}', true);
            case '[' -> container(depth, ']', false);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void container(int depth, char close, boolean object) {
        out.append(s.charAt(i++));
        ws();
        if (s.charAt(i) == close) {
            out.append(close);
            i++;
            return;
        }
        while (true) {
            newline(depth + 1);
            if (object) {
                if (s.charAt(i) != '"') {
                    throw new IllegalStateException("key");
                }
                string();
                ws();
                expect(':');
                out.append(": ");
                ws();
            }
            value(depth + 1);
            ws();
            char c = s.charAt(i++);
            if (c == ',') {
                out.append(',');
                ws();
            } else if (c == close) {
                newline(depth);
                out.append(close);
                return;
            } else {
                throw new IllegalStateException("separator");
            }
        }
    }

    private void string() {
        int start = i++;
        while (true) {
            char c = s.charAt(i++);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                break;
            } else if (c < 0x20) {
                throw new IllegalStateException("control character");
            }
        }
        out.append(s, start, i);
    }

    private void number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String n = s.substring(start, i);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw new IllegalStateException("number");
        }
        out.append(n);
    }

    private void literal(String word) {
        if (!s.startsWith(word, i)) {
            throw new IllegalStateException("literal");
        }
        out.append(word);
        i += word.length();
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalStateException("expected " + c);
        }
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void newline(int depth) {
        out.append('\n').append("  ".repeat(depth));
    }
}
