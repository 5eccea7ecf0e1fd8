package io.samsa.console;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How the message browser shows a key or value: {@code text} (UTF-8; bytes that are not UTF-8 fall back to hex),
 * {@code json} (pretty-printed when the bytes are one JSON value, else as text) or {@code hex} (a hex dump, 16 bytes a
 * line with the printable ASCII alongside). The result is plain text: the caller escapes it. Stateless.
 */
enum Formats {
    TEXT, JSON, HEX;

    /** The names offered in the browser's form. */
    static final List<String> NAMES = List.of("text", "json", "hex");
    /** Longest value shown, in bytes; the rest is cut with a note. */
    static final int MAX_SHOWN_BYTES = 16 * 1024;

    static Formats of(String name) {
        return switch (name) {
            case "json" -> JSON;
            case "hex" -> HEX;
            default -> TEXT;
        };
    }

    /** {@code bytes} shown in this format; {@code null} bytes (a null key or a tombstone) become {@code null}. */
    String show(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        byte[] shown = bytes.length > MAX_SHOWN_BYTES ? java.util.Arrays.copyOf(bytes, MAX_SHOWN_BYTES) : bytes;
        String suffix = shown == bytes ? "" : "\n… (" + bytes.length + " bytes, first " + MAX_SHOWN_BYTES + " shown)";
        if (this == HEX) {
            return hex(shown) + suffix;
        }
        String text = utf8(shown);
        if (text == null) {
            return hex(shown) + suffix;
        }
        if (this == JSON && suffix.isEmpty()) {
            String pretty = Json.pretty(text);
            return pretty == null ? text : pretty;
        }
        return text + suffix;
    }

    /** The bytes as strict UTF-8, or {@code null} if they are not UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A hex dump: offset, 16 bytes in hex, then those bytes as ASCII ({@code .} for the unprintable). */
    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int line = 0; line < bytes.length; line += 16) {
            if (line > 0) {
                b.append('\n');
            }
            b.append(String.format("%08x  ", line));
            StringBuilder ascii = new StringBuilder();
            for (int j = line; j < line + 16; j++) {
                if (j < bytes.length) {
                    int v = bytes[j] & 0xff;
                    b.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16)).append(' ');
                    ascii.append(v >= 0x20 && v < 0x7f ? (char) v : '.');
                } else {
                    b.append("   ");
                }
            }
            b.append(' ').append(ascii);
        }
        return b.toString();
    }
}
