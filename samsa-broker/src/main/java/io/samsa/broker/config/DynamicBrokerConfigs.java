package io.samsa.broker.config;

import io.samsa.storage.LogConfig;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dynamic broker configs (KIP-226): the broker keys an operator may change at run time through
 * IncrementalAlterConfigs/AlterConfigs, per broker (resource name = node id) or as the cluster default (resource name
 * {@code ""}), and the merge that gives their effect. Precedence, as Kafka's {@code DynamicBrokerConfig}: this
 * broker's dynamic value, then the cluster-wide dynamic default, then {@code server.properties}, then the key's
 * default. Among synonyms the most specific key wins whatever its source ({@code log.retention.ms} over
 * {@code log.retention.hours}).
 *
 * <p>Dynamic keys are those Kafka reconfigures through {@code DynamicLogConfig} — the first broker synonym of each
 * topic config ({@code log.segment.bytes}, {@code log.roll.ms}, {@code log.retention.ms}, {@code message.max.bytes},
 * {@code compression.type}, ...) — that Samsa acts on. Every other broker key is refused with Kafka's "Cannot update
 * these configs dynamically" (INVALID_REQUEST), including keys Kafka can change but Samsa cannot yet (thread pools,
 * listeners, quotas); unknown keys are refused too (Kafka would store them unused). One exception: the replication
 * throttle rates ({@link #REPLICATION_THROTTLE_KEYS}) are stored but not enforced (ADR 0013).
 *
 * <p>Thread-safe: the cache of the last merged log defaults is a volatile immutable snapshot.
 */
public final class DynamicBrokerConfigs {
    /**
     * Kafka's dynamic replication throttle rates (KIP-73), which {@code kafka-reassign-partitions --throttle} sets on
     * the brokers of a move and {@code --verify} deletes: accepted and stored so the tool works, not enforced
     * (ADR 0013).
     */
    public static final List<String> REPLICATION_THROTTLE_KEYS = List.of("leader.replication.throttled.rate",
            "follower.replication.throttled.rate", "replica.alter.log.dirs.io.max.bytes.per.second");

    /** The broker keys that may be changed at run time. */
    public static final Set<String> DYNAMIC_KEYS = dynamicKeys();

    private final BrokerConfig config;
    private volatile Cached cached;

    private record Cached(Map<String, String> clusterDefault, Map<String, String> perBroker, LogConfig logDefaults) {
    }

    public DynamicBrokerConfigs(BrokerConfig config) {
        this.config = config;
    }

    private static Set<String> dynamicKeys() {
        Set<String> keys = new TreeSet<>();
        for (ConfigKey topicKey : TopicConfigDefs.DEF.keys().values()) {
            if (!topicKey.synonyms().isEmpty()) {
                String first = topicKey.synonyms().getFirst();
                BrokerConfigDefs.DEF.key(first).filter(ConfigKey::used).ifPresent(k -> keys.add(k.name()));
            }
        }
        keys.addAll(REPLICATION_THROTTLE_KEYS);
        return Set.copyOf(keys);
    }

    /** The static broker settings ({@code server.properties} and overrides). */
    public BrokerConfig staticConfig() {
        return config;
    }

    /**
     * Every broker key's effective text: static properties, overlaid by the cluster default, overlaid by this
     * broker's dynamic configs. Keys absent everywhere are absent.
     */
    public Map<String, String> effectiveProps(Map<String, String> clusterDefault, Map<String, String> perBroker) {
        Map<String, String> merged = new HashMap<>(config.original());
        merged.putAll(clusterDefault);
        merged.putAll(perBroker);
        return merged;
    }

    /**
     * The broker-level log defaults under the given dynamic configs (the static ones when both maps are empty).
     * Cached for the last pair of maps (compared by identity, as the metadata image hands out the same instances
     * until they change).
     */
    public LogConfig logDefaults(Map<String, String> clusterDefault, Map<String, String> perBroker) {
        if (clusterDefault.isEmpty() && perBroker.isEmpty()) {
            return config.logDefaults();
        }
        Cached c = cached;
        if (c != null && c.clusterDefault == clusterDefault && c.perBroker == perBroker) {
            return c.logDefaults;
        }
        LogConfig logDefaults = BrokerConfig.logDefaults(BrokerConfigDefs.DEF.parse(
                effectiveProps(clusterDefault, perBroker)));
        cached = new Cached(clusterDefault, perBroker, logDefaults);
        return logDefaults;
    }

    /**
     * Validates the complete set of dynamic configs a broker resource would have after a change (Kafka's
     * {@code DynamicBrokerConfig.validate}): every key must be dynamic, every value valid, and the result merged
     * with the other sources must parse.
     *
     * @param newProps        the resource's dynamic configs after the change
     * @param otherDynamic    the other dynamic level (the cluster default when validating a broker's own configs, or
     *                        this broker's when validating the default), for the merged check
     * @throws ConfigException "Cannot update these configs dynamically: [keys]" or the invalid value's message
     *                         (Kafka answers INVALID_REQUEST, KAFKA-13609)
     */
    public void validate(Map<String, String> newProps, Map<String, String> otherDynamic, boolean perBroker) {
        Set<String> refused = new LinkedHashSet<>();
        for (String key : new TreeSet<>(newProps.keySet())) {
            if (!DYNAMIC_KEYS.contains(key)) {
                refused.add(key);
            }
        }
        if (!refused.isEmpty()) {
            throw new ConfigException("Cannot update these configs dynamically: " + refused);
        }
        BrokerConfigDefs.DEF.parse(newProps);
        BrokerConfig.logDefaults(BrokerConfigDefs.DEF.parse(perBroker
                ? effectiveProps(otherDynamic, newProps) : effectiveProps(newProps, otherDynamic)));
    }

    /**
     * The broker keys whose values give the default of {@code brokerKey}, most specific first (Kafka's
     * {@code DynamicBrokerConfig.brokerConfigSynonyms}): {@code log.retention.hours} → {@code log.retention.ms,
     * log.retention.minutes, log.retention.hours}; a key without synonyms → itself.
     */
    public static List<String> brokerSynonyms(String brokerKey) {
        for (ConfigKey topicKey : TopicConfigDefs.DEF.keys().values()) {
            if (topicKey.synonyms().size() > 1 && topicKey.synonyms().contains(brokerKey)) {
                return topicKey.synonyms();
            }
        }
        return List.of(brokerKey);
    }
}
