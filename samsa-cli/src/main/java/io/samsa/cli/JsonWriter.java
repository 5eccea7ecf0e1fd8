package io.samsa.cli;

/**
 * A tiny JSON writer for {@code samsa perf --json}: objects of strings, numbers and arrays of objects, written in
 * order, no pretty-printing. Non-finite doubles are written as {@code null}. Not thread-safe; one per document.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private boolean needsComma;

    /** Opens an object (at the top level or as an array element). */
    JsonWriter beginObject() {
        comma();
        out.append('{');
        needsComma = false;
        return this;
    }

    /** Closes the current object. */
    JsonWriter endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    /** Opens an array field. */
    JsonWriter beginArray(String name) {
        name(name);
        out.append('[');
        needsComma = false;
        return this;
    }

    /** Closes the current array. */
    JsonWriter endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    /** A string field. */
    JsonWriter field(String name, String value) {
        name(name);
        string(value);
        needsComma = true;
        return this;
    }

    /** An integer field. */
    JsonWriter field(String name, long value) {
        name(name);
        out.append(value);
        needsComma = true;
        return this;
    }

    /** A number field, rounded to 3 decimals; NaN and infinities as {@code null}. */
    JsonWriter field(String name, double value) {
        name(name);
        if (Double.isFinite(value)) {
            out.append(java.math.BigDecimal.valueOf(value).setScale(3, java.math.RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString());
        } else {
            out.append("null");
        }
        needsComma = true;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void name(String name) {
        comma();
        string(name);
        out.append(':');
        needsComma = false;
    }

    private void comma() {
        if (needsComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
