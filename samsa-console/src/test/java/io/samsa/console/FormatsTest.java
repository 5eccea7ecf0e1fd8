package io.samsa.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void jsonIsPrettyPrinted() {
        assertThat(Json.pretty("{\"a\":[1,2.5e3,{}],\"b\":{\"c\":null,\"d\":\"x\\\"y\"}}")).isEqualTo("""
                {
                  "a": [
                    1,
                    2.5e3,
                    {}
                  ],
                  "b": {
                    "c": null,
                    "d": "x\\"y"
                  }
                }""");
    }

    @Test
    void notJsonIsShownAsText() {
        assertThat(Json.pretty("{\"a\":}")).isNull();
        assertThat(Json.pretty("hello")).isNull();
        assertThat(Json.pretty("[1] 2")).isNull();
        assertThat(Json.pretty("[".repeat(10_000))).isNull();
        assertThat(Formats.JSON.show("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("hello");
    }

    @Test
    void hexDumpShowsOffsetsBytesAndAscii() {
        assertThat(Formats.HEX.show(new byte[] {'A', 0, (byte) 0xff}))
                .isEqualTo("00000000  41 00 ff " + "   ".repeat(13) + " A..");
    }

    @Test
    void bytesThatAreNotUtf8FallBackToHexAndNullStaysNull() {
        assertThat(Formats.TEXT.show(new byte[] {(byte) 0xc3})).startsWith("00000000  c3");
        assertThat(Formats.TEXT.show(null)).isNull();
    }
}
