package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordFormatterTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void prints_only_the_value_by_default() {
        RecordFormatter formatter = new RecordFormatter(false, false, false, false, "\t");

        assertThat(formatter.format(3, 42, 1000, utf8("k"), utf8("hello"))).isEqualTo("hello");
    }

    @Test
    void prints_fields_in_the_order_partition_offset_timestamp_key_value() {
        RecordFormatter formatter = new RecordFormatter(true, true, true, true, "\t");

        assertThat(formatter.format(3, 42, 1000, utf8("k"), utf8("v"))).isEqualTo("3\t42\t1000\tk\tv");
    }

    @Test
    void uses_the_separator_and_prints_nulls_as_null() {
        RecordFormatter formatter = new RecordFormatter(false, true, false, true, ", ");

        assertThat(formatter.format(0, 7, 0, null, null)).isEqualTo("7, null, null");
    }

    @Test
    void decodes_utf8() {
        RecordFormatter formatter = new RecordFormatter(false, false, false, true, "=");

        assertThat(formatter.format(0, 0, 0, utf8("ключ"), utf8("значение ✓"))).isEqualTo("ключ=значение ✓");
    }
}
