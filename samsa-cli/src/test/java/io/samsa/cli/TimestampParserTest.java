package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampParserTest {
    private final TimestampParser utc = new TimestampParser(ZoneOffset.UTC);

    @Test
    void epoch_millis() {
        assertThat(utc.parseMillis("0")).isZero();
        assertThat(utc.parseMillis("1714521600000")).isEqualTo(1714521600000L);
    }

    @Test
    void iso_instant_and_offset_date_time() {
        assertThat(utc.parseMillis("2024-05-01T00:00:00Z")).isEqualTo(1714521600000L);
        assertThat(utc.parseMillis("2024-05-01T00:00:00.250Z")).isEqualTo(1714521600250L);
        assertThat(utc.parseMillis("2024-05-01T02:00:00+02:00")).isEqualTo(1714521600000L);
    }

    @Test
    void local_date_time_and_date_use_the_given_zone() {
        TimestampParser paris = new TimestampParser(ZoneId.of("Europe/Paris"));

        assertThat(utc.parseMillis("2024-05-01T00:00:00")).isEqualTo(1714521600000L);
        assertThat(utc.parseMillis("2024-05-01")).isEqualTo(1714521600000L);
        assertThat(paris.parseMillis("2024-05-01T02:00")).isEqualTo(1714521600000L);
    }

    @Test
    void anything_else_is_rejected_with_an_example() {
        assertThatThrownBy(() -> utc.parseMillis("yesterday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yesterday'")
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> utc.parseMillis("99999999999999999999"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
