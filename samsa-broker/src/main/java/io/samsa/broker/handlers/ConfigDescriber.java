package io.samsa.broker.handlers;

import io.samsa.broker.config.SslConfigDefs;
import io.samsa.broker.config.BrokerConfigDefs;
import io.samsa.broker.config.ConfigKey;
import io.samsa.broker.config.ConfigValues;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.broker.config.SensitiveConfigs;
import io.samsa.broker.config.TopicConfigDefs;
import io.samsa.broker.config.TopicConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * Builds DescribeConfigs entries as Kafka's {@code ConfigHelper} does, from one metadata image: every topic config
 * (value, source, synonyms, type, documentation) and every broker config of this node or the cluster default.
 *
 * <p>Synonyms and sources follow Kafka's order: the topic override ({@code TOPIC_CONFIG}), then for the topic key's
 * broker synonyms ({@link TopicConfigs#brokerSynonyms}) every synonym set as this broker's dynamic config, then as
 * the cluster default, then in {@code server.properties}, then the keys' defaults — and, as Kafka, everything before
 * the first entry named after the most specific synonym is dropped (so {@code retention.ms} shows no synonym while
 * only {@code log.retention.hours} has a value). An entry's source is its first synonym's, else DEFAULT_CONFIG.
 *
 * <p>One instance per request; not thread-safe; no I/O.
 */
final class ConfigDescriber {
    private final DynamicBrokerConfigs dynamic;
    private final Map<String, String> dynamicBroker;
    private final Map<String, String> dynamicDefault;
    private final Map<String, String> staticProps;
    private final Map<String, String> merged;
    private final boolean includeSynonyms;
    private final boolean includeDocumentation;

    ConfigDescriber(DynamicBrokerConfigs dynamic, ClusterImage image, boolean includeSynonyms,
                    boolean includeDocumentation) {
        this.dynamic = dynamic;
        this.dynamicBroker = image.configs(ConfigResource.broker(
                Integer.toString(dynamic.staticConfig().nodeId())));
        this.dynamicDefault = image.configs(ConfigResource.clusterDefault());
        this.staticProps = dynamic.staticConfig().original();
        this.merged = dynamic.effectiveProps(dynamicDefault, dynamicBroker);
        this.includeSynonyms = includeSynonyms;
        this.includeDocumentation = includeDocumentation;
    }

    /** Every (non-internal) topic config of a topic with these overrides, filtered by {@code wanted}. */
    List<DescribeConfigsResourceResult> topic(Map<String, String> overrides, Predicate<String> wanted) {
        ConfigValues parsed = TopicConfigs.parse(overrides);
        List<DescribeConfigsResourceResult> out = new ArrayList<>();
        for (ConfigKey key : TopicConfigDefs.DEF.keys().values()) {
            if (TopicConfigDefs.isInternal(key.name()) || !wanted.test(key.name())) {
                continue;
            }
            List<DescribeConfigsSynonym> all = new ArrayList<>();
            String value;
            if (overrides.containsKey(key.name())) {
                value = text(parsed.get(key.name()));
                all.add(synonym(key.name(), value, ConfigSource.TOPIC_CONFIG));
            } else {
                value = brokerValueOf(key);
            }
            if (!key.synonyms().isEmpty()) {
                all.addAll(synonyms(key.synonyms().getFirst(), key.synonyms()));
            }
            out.add(entry(key.name(), value, all, false, key));
        }
        return out;
    }

    /**
     * This broker's configs: every key Samsa knows (plus unknown keys from {@code server.properties}) with its
     * effective value; read-only unless dynamic.
     */
    List<DescribeConfigsResourceResult> broker(Predicate<String> wanted) {
        ConfigValues values = BrokerConfigDefs.DEF.parse(merged);
        List<DescribeConfigsResourceResult> out = new ArrayList<>();
        for (ConfigKey key : BrokerConfigDefs.DEF.keys().values()) {
            if (wanted.test(key.name())) {
                out.add(brokerEntry(key.name(), text(values.get(key.name())), key, s -> true));
            }
        }
        for (String unknown : new TreeSet<>(BrokerConfigDefs.DEF.unknownKeys(staticProps))) {
            if (wanted.test(unknown)) {
                out.add(brokerEntry(unknown, staticProps.get(unknown), null, s -> true));
            }
        }
        return out;
    }

    /** The cluster-wide dynamic defaults that are set, with only DYNAMIC_DEFAULT_BROKER_CONFIG synonyms. */
    List<DescribeConfigsResourceResult> clusterDefault(Predicate<String> wanted) {
        List<DescribeConfigsResourceResult> out = new ArrayList<>();
        for (String name : new TreeSet<>(dynamicDefault.keySet())) {
            if (wanted.test(name)) {
                out.add(brokerEntry(name, dynamicDefault.get(name), BrokerConfigDefs.DEF.key(name).orElse(null),
                        s -> s.source() == ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.id()));
            }
        }
        return out;
    }

    private DescribeConfigsResourceResult brokerEntry(String name, String value, ConfigKey key,
                                                      Predicate<DescribeConfigsSynonym> keep) {
        List<DescribeConfigsSynonym> all = synonyms(name, DynamicBrokerConfigs.brokerSynonyms(name)).stream()
                .filter(keep).toList();
        return entry(name, value, all, !DynamicBrokerConfigs.DYNAMIC_KEYS.contains(name), key);
    }

    private DescribeConfigsResourceResult entry(String name, String value, List<DescribeConfigsSynonym> all,
                                                boolean readOnly, ConfigKey key) {
        byte source = all.isEmpty() ? ConfigSource.DEFAULT_CONFIG.id() : all.getFirst().source();
        // passwords and private keys (Kafka's Type.PASSWORD): described without their values
        boolean sensitive = SslConfigDefs.isSensitive(name) || SensitiveConfigs.isSensitive(name);
        if (sensitive) {
            value = null;
            all = all.stream().map(s -> s.duplicate().setValue(null)).toList();
        }
        return new DescribeConfigsResourceResult()
                .setName(name)
                .setValue(sensitive ? null : value)
                .setConfigSource(source)
                .setIsSensitive(sensitive)
                .setReadOnly(readOnly)
                .setSynonyms(includeSynonyms ? new ArrayList<>(all) : new ArrayList<>())
                .setConfigType(key == null ? ConfigType.UNKNOWN.id() : typeOf(key).id())
                .setDocumentation(includeDocumentation && key != null ? key.doc() : null);
    }

    /** Kafka's {@code ConfigHelper.configSynonyms}: by source, then by synonym; drop everything before {@code name}. */
    private List<DescribeConfigsSynonym> synonyms(String name, List<String> names) {
        List<DescribeConfigsSynonym> all = new ArrayList<>();
        add(all, names, dynamicBroker, ConfigSource.DYNAMIC_BROKER_CONFIG);
        add(all, names, dynamicDefault, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        add(all, names, staticProps, ConfigSource.STATIC_BROKER_CONFIG);
        for (String n : names) {
            BrokerConfigDefs.DEF.key(n).filter(k -> k.defaultValue() != null)
                    .ifPresent(k -> all.add(synonym(n, text(k.defaultValue()), ConfigSource.DEFAULT_CONFIG)));
        }
        int first = 0;
        while (first < all.size() && !all.get(first).name().equals(name)) {
            first++;
        }
        return all.subList(first, all.size());
    }

    private static void add(List<DescribeConfigsSynonym> out, List<String> names, Map<String, String> props,
                            ConfigSource source) {
        for (String n : names) {
            String v = props.get(n);
            if (v != null) {
                out.add(synonym(n, v, source));
            }
        }
    }

    /**
     * A topic key's value when the topic has no override: the first of its broker synonyms that is set (dynamic or
     * static), else the first with a default, converted from hours or minutes to ms; else the topic default.
     */
    private String brokerValueOf(ConfigKey topicKey) {
        for (String n : topicKey.synonyms()) {
            if (merged.containsKey(n)) {
                return inMillis(n, merged.get(n).trim());
            }
        }
        for (String n : topicKey.synonyms()) {
            var brokerKey = BrokerConfigDefs.DEF.key(n);
            if (brokerKey.isPresent() && brokerKey.get().defaultValue() != null) {
                return inMillis(n, text(brokerKey.get().defaultValue()));
            }
        }
        return text(topicKey.defaultValue());
    }

    private static String inMillis(String brokerKey, String value) {
        long factor = brokerKey.endsWith(".hours") ? 3_600_000L : brokerKey.endsWith(".minutes") ? 60_000L : 1;
        if (factor == 1) {
            return value;
        }
        try {
            return Long.toString(Long.parseLong(value) * factor);
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static DescribeConfigsSynonym synonym(String name, String value, ConfigSource source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }

    /** Kafka's {@code ConfigDef.convertToString}: lists comma-joined, null stays null. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }

    private static ConfigType typeOf(ConfigKey key) {
        return switch (key.type()) {
            case BOOLEAN -> ConfigType.BOOLEAN;
            case INT -> ConfigType.INT;
            case LONG -> ConfigType.LONG;
            case SHORT -> ConfigType.SHORT;
            case DOUBLE -> ConfigType.DOUBLE;
            case STRING -> ConfigType.STRING;
            case LIST -> ConfigType.LIST;
        };
    }
}
