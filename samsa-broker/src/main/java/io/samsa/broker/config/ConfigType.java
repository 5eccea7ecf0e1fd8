package io.samsa.broker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The value types of configuration keys, with Kafka's {@code ConfigDef.Type} parsing rules: the text is trimmed,
 * numbers must fit the type, booleans are {@code true}/{@code false} in any case, lists are comma-separated (blanks
 * around commas ignored, an empty text is an empty list). Thread-safe.
 */
public enum ConfigType {
    BOOLEAN, INT, LONG, SHORT, DOUBLE, STRING, LIST;

    /**
     * Parses the text of one value.
     *
     * @return a {@link Boolean}, {@link Integer}, {@link Long}, {@link Short}, {@link Double}, {@link String} or an
     *         unmodifiable {@code List<String>}
     * @throws ConfigException naming the key and the value when the text is not of this type
     */
    public Object parse(String key, String text) {
        String trimmed = text.trim();
        try {
            return switch (this) {
                case BOOLEAN -> switch (trimmed.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new ConfigException(key, text, "Expected value to be either true or false");
                };
                case INT -> Integer.parseInt(trimmed);
                case LONG -> Long.parseLong(trimmed);
                case SHORT -> Short.parseShort(trimmed);
                case DOUBLE -> Double.parseDouble(trimmed);
                case STRING -> trimmed;
                case LIST -> parseList(key, text, trimmed);
            };
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text, "Not a number of type " + name());
        }
    }

    private static List<String> parseList(String key, String text, String trimmed) {
        if (trimmed.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : trimmed.split("\\s*,\\s*", -1)) {
            if (item.isEmpty()) {
                throw new ConfigException(key, text, "List must not contain empty elements");
            }
            items.add(item);
        }
        return List.copyOf(items);
    }
}
