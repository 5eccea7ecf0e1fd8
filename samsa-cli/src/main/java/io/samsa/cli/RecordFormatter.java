package io.samsa.cli;

import java.nio.charset.StandardCharsets;

/**
 * The line {@code consume} prints for a record: the requested fields in the order partition, offset, timestamp
 * (epoch ms), key, value, joined by the separator. Keys and values are decoded as UTF-8; null prints as
 * {@code null}. Immutable.
 */
final class RecordFormatter {
    private final boolean partition;
    private final boolean offset;
    private final boolean timestamp;
    private final boolean key;
    private final String separator;

    RecordFormatter(boolean partition, boolean offset, boolean timestamp, boolean key, String separator) {
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.separator = separator;
    }

    /** The line, without a terminator. */
    String format(int partitionId, long offsetValue, long timestampMs, byte[] keyBytes, byte[] valueBytes) {
        StringBuilder sb = new StringBuilder();
        if (partition) {
            sb.append(partitionId).append(separator);
        }
        if (offset) {
            sb.append(offsetValue).append(separator);
        }
        if (timestamp) {
            sb.append(timestampMs).append(separator);
        }
        if (key) {
            sb.append(text(keyBytes)).append(separator);
        }
        return sb.append(text(valueBytes)).toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
