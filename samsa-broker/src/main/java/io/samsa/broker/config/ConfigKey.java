package io.samsa.broker.config;

import java.util.List;
import java.util.Objects;

/**
 * The one definition of a configuration key: Kafka's name, type, default, valid values and documentation.
 *
 * @param name         Kafka's key name, e.g. {@code log.segment.bytes}
 * @param type         how the text is parsed
 * @param defaultValue the value when the key is absent (type as {@link ConfigType#parse}); null means "no value",
 *                     usually "derived from another key" as Kafka's {@code log.roll.ms}
 * @param validator    checks an explicit value; null accepts any value of the type
 * @param importance   Kafka's importance, for documentation and DescribeConfigs ordering
 * @param doc          one or two sentences, Kafka's documentation shortened
 * @param synonyms     the keys this one falls back to, most specific first (for a topic key: the broker keys that
 *                     give its default, e.g. {@code retention.ms} → {@code log.retention.ms},
 *                     {@code log.retention.minutes}, {@code log.retention.hours}); DescribeConfigs lists them
 * @param used         false for keys Samsa accepts so that a stock Kafka {@code server.properties} loads cleanly,
 *                     but does not act on yet (an explicit value is logged once at INFO)
 */
public record ConfigKey(
        String name,
        ConfigType type,
        Object defaultValue,
        Validator validator,
        Importance importance,
        String doc,
        List<String> synonyms,
        boolean used) {

    /** Kafka's {@code ConfigDef.Importance}. */
    public enum Importance { HIGH, MEDIUM, LOW }

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(importance, "importance");
        Objects.requireNonNull(doc, "doc");
        synonyms = List.copyOf(synonyms);
    }

    /**
     * Parses and validates an explicit value of this key.
     *
     * @throws ConfigException naming the key, the value and why
     */
    public Object parse(String text) {
        Object value = type.parse(name, text);
        if (validator != null) {
            validator.ensureValid(name, value);
        }
        return value;
    }
}
