package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineParserTest {
    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void without_separator_the_line_is_the_value_and_the_key_is_null() {
        LineParser.KeyValue kv = new LineParser(null).parse("a\tb:c", 1);

        assertThat(kv.key()).isNull();
        assertThat(text(kv.value())).isEqualTo("a\tb:c");
    }

    @Test
    void splits_at_the_first_separator_only() {
        LineParser.KeyValue kv = new LineParser(":").parse("k:v:w", 1);

        assertThat(text(kv.key())).isEqualTo("k");
        assertThat(text(kv.value())).isEqualTo("v:w");
    }

    @Test
    void multi_character_separators_and_empty_parts() {
        LineParser parser = new LineParser("::");

        assertThat(text(parser.parse("::v", 1).key())).isEmpty();
        assertThat(text(parser.parse("k::", 1).value())).isEmpty();
        assertThat(text(parser.parse("k::v", 1).value())).isEqualTo("v");
    }

    @Test
    void values_are_utf8() {
        LineParser.KeyValue kv = new LineParser("\t").parse("clé\tvaleur ✓", 1);

        assertThat(kv.key()).isEqualTo("clé".getBytes(StandardCharsets.UTF_8));
        assertThat(text(kv.value())).isEqualTo("valeur ✓");
    }

    @Test
    void a_line_without_the_separator_is_an_error_naming_the_line() {
        assertThatThrownBy(() -> new LineParser("\t").parse("no separator here", 7))
                .isInstanceOf(CliException.class)
                .hasMessage("line 7 has no key separator");
    }

    @Test
    void separator_escapes_are_unescaped() {
        assertThat(Separators.unescape("\\t")).isEqualTo("\t");
        assertThat(Separators.unescape("a\\nb\\\\c\\x")).isEqualTo("a\nb\\c\\x");
        assertThat(Separators.unescape(" | ")).isEqualTo(" | ");
    }
}
