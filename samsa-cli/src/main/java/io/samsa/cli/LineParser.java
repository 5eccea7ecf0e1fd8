package io.samsa.cli;

import java.nio.charset.StandardCharsets;

/**
 * Turns one input line of {@code produce} into a key and a value (UTF-8 bytes). Without a separator the whole line
 * is the value and the key is null; with one, the key is the text before its first occurrence and the value the
 * text after it, and a line without it is an error (as in Kafka's console producer). Immutable.
 */
final class LineParser {
    private final String separator;

    /** @param separator the key separator, or null when lines carry only values */
    LineParser(String separator) {
        if (separator != null && separator.isEmpty()) {
            throw new IllegalArgumentException("the key separator must not be empty");
        }
        this.separator = separator;
    }

    /** A record's key (null: none) and value, as UTF-8 bytes. */
    record KeyValue(byte[] key, byte[] value) {
    }

    /**
     * @param line       the line without its terminator
     * @param lineNumber 1-based, for the error message
     * @throws CliException "line N has no key separator"
     */
    KeyValue parse(String line, long lineNumber) {
        if (separator == null) {
            return new KeyValue(null, line.getBytes(StandardCharsets.UTF_8));
        }
        int at = line.indexOf(separator);
        if (at < 0) {
            throw new CliException("line " + lineNumber + " has no key separator");
        }
        return new KeyValue(
                line.substring(0, at).getBytes(StandardCharsets.UTF_8),
                line.substring(at + separator.length()).getBytes(StandardCharsets.UTF_8));
    }
}
