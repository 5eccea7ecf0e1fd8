package io.samsa.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Parses {@code --from-timestamp}: epoch milliseconds ({@code 1700000000000}) or ISO-8601
 * ({@code 2024-05-01T12:00:00Z}, {@code 2024-05-01T14:00:00+02:00}, {@code 2024-05-01T12:00:00},
 * {@code 2024-05-01}); a date-time without an offset is read in the given zone. Immutable.
 */
final class TimestampParser {
    private final ZoneId zone;

    TimestampParser(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * @return epoch milliseconds
     * @throws IllegalArgumentException for text that is neither
     */
    long parseMillis(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text
                + "' is neither epoch milliseconds nor an ISO-8601 date-time (e.g. 2024-05-01T12:00:00Z)");
    }
}
