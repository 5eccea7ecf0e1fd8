package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.config.BrokerConfigDefs;
import io.samsa.broker.config.ConfigException;
import io.samsa.broker.config.ConfigKey;
import io.samsa.broker.config.ConfigType;
import io.samsa.broker.config.DynamicBrokerConfigs;
import io.samsa.broker.config.TopicConfigDefs;
import io.samsa.broker.config.TopicConfigs;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigChange;
import io.samsa.metadata.ConfigResource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * What IncrementalAlterConfigs and AlterConfigs share: resolving the resource, computing and validating the
 * resource's complete dynamic config set after the change, and committing the difference through the quorum as one
 * atomic batch (nothing changes when anything is invalid).
 *
 * <p>Errors, as Kafka 4.3: a topic value or key that is invalid → INVALID_CONFIG with the validator's message
 * ({@code Unknown topic config name: x}, {@code Invalid value abc for configuration retention.ms: ...}); a broker key
 * that is not dynamic or a bad broker value → INVALID_REQUEST (Kafka's broker-side preprocessing, KAFKA-13609); an
 * unknown topic → UNKNOWN_TOPIC_OR_PARTITION; a broker name other than "" or this node's id → INVALID_REQUEST.
 *
 * <p>Thread-safe (stateless apart from its collaborators).
 */
final class ConfigAlterations {
    private static final byte TOPIC = org.apache.kafka.common.config.ConfigResource.Type.TOPIC.id();
    private static final byte BROKER = org.apache.kafka.common.config.ConfigResource.Type.BROKER.id();

    private final BrokerContext ctx;
    private final DynamicBrokerConfigs dynamic;

    ConfigAlterations(BrokerContext ctx, DynamicBrokerConfigs dynamic) {
        this.ctx = ctx;
        this.dynamic = dynamic;
    }

    /**
     * The metadata resource for a request's resource.
     *
     * @throws org.apache.kafka.common.errors.ApiException INVALID_TOPIC_EXCEPTION (from {@code Topic.validate}),
     *                                                     UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST
     */
    ConfigResource resolve(byte type, String name, ClusterImage image) {
        if (type == TOPIC) {
            Topic.validate(name);
            if (image.topic(name).isEmpty()) {
                throw new UnknownTopicOrPartitionException("The topic '" + name + "' does not exist.");
            }
            return ConfigResource.topic(name);
        }
        if (type == BROKER) {
            if (name == null || name.isEmpty()) {
                return ConfigResource.clusterDefault();
            }
            int id;
            try {
                id = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("Node id must be an integer, but it is: " + name);
            }
            if (id != ctx.nodeId()) {
                throw new InvalidRequestException("Unexpected broker id, expected " + ctx.nodeId()
                        + ", but received " + name);
            }
            return ConfigResource.broker(name);
        }
        throw new InvalidRequestException("Unsupported resource type "
                + org.apache.kafka.common.config.ConfigResource.Type.forId(type));
    }

    /** How a handler computes a resource's complete new dynamic config set from its entry in the request. */
    @FunctionalInterface
    interface NewConfigs<R> {
        Map<String, String> of(ConfigResource resource, R requested, ClusterImage image);
    }

    /**
     * The flow both handlers share, for each of a request's resources in order: a resource (type and name) named more
     * than once → INVALID_REQUEST "Each resource must appear at most once." for every occurrence; otherwise
     * {@link #resolve}, compute the new set with {@code newConfigs} and {@link #replace}; an exception on the way
     * becomes that resource's error ({@link ErrorMapper}).
     *
     * @return completes when every resource has its outcome, one per resource in request order; never exceptionally
     */
    <R> CompletableFuture<List<ApiError>> alterEach(List<R> resources, Function<R, Byte> type,
                                                    Function<R, String> name, NewConfigs<R> newConfigs,
                                                    ClusterImage image, boolean validateOnly) {
        Map<String, Integer> seen = new HashMap<>();
        for (R r : resources) {
            seen.merge(type.apply(r) + "/" + name.apply(r), 1, Integer::sum);
        }
        List<CompletableFuture<ApiError>> outcomes = new ArrayList<>();
        for (R r : resources) {
            if (seen.get(type.apply(r) + "/" + name.apply(r)) > 1) {
                outcomes.add(CompletableFuture.completedFuture(new ApiError(Errors.INVALID_REQUEST,
                        "Each resource must appear at most once.")));
                continue;
            }
            try {
                ConfigResource resource = resolve(type.apply(r), name.apply(r), image);
                outcomes.add(replace(resource, newConfigs.of(resource, r, image), image, validateOnly));
            } catch (RuntimeException e) {
                outcomes.add(CompletableFuture.completedFuture(
                        new ApiError(ErrorMapper.toError(e), ErrorMapper.message(e))));
            }
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(v -> outcomes.stream().map(CompletableFuture::join).toList());
    }

    /** The definition of {@code key} for this kind of resource, if it has one. */
    static Optional<ConfigKey> definition(ConfigResource resource, String key) {
        return resource.type() == ConfigResource.Type.TOPIC
                ? TopicConfigDefs.DEF.key(key) : BrokerConfigDefs.DEF.key(key);
    }

    /**
     * The list after APPEND (add the items not present yet) or SUBTRACT (remove the items) of {@code operand} to the
     * key's current value (its default when unset), as Kafka's {@code ConfigurationControlManager}.
     *
     * @throws InvalidConfigurationException when the key is not of type LIST (INVALID_CONFIG)
     */
    static String appendOrSubtract(ConfigResource resource, Map<String, String> current, String key,
                                   String operand, boolean append) {
        Optional<ConfigKey> def = definition(resource, key);
        if (def.isEmpty() || def.get().type() != ConfigType.LIST) {
            throw new InvalidConfigurationException("Can't " + (append ? "APPEND" : "SUBTRACT") + " to key " + key
                    + " because its type is not LIST.");
        }
        String old = current.containsKey(key) ? current.get(key) : ConfigDescriber.text(def.get().defaultValue());
        List<String> items = new ArrayList<>();
        if (old != null && !old.isBlank()) {
            Arrays.stream(old.split(",")).map(String::trim).forEach(items::add);
        }
        for (String item : operand.split(",")) {
            String v = item.trim();
            if (append && !items.contains(v)) {
                items.add(v);
            } else if (!append) {
                items.remove(v);
            }
        }
        return String.join(",", items);
    }

    /**
     * Validates {@code newProps} as the complete dynamic config set of {@code resource} and commits the difference
     * from its current set (or, validate-only, commits nothing).
     *
     * @return completes with the outcome, {@link ApiError#NONE} on success; never exceptionally
     */
    CompletableFuture<ApiError> replace(ConfigResource resource, Map<String, String> newProps, ClusterImage image,
                                        boolean validateOnly) {
        Map<String, String> current = image.configs(resource);
        try {
            validate(resource, newProps, image);
        } catch (ConfigException e) {
            return CompletableFuture.completedFuture(new ApiError(resource.type() == ConfigResource.Type.TOPIC
                    ? org.apache.kafka.common.protocol.Errors.INVALID_CONFIG
                    : org.apache.kafka.common.protocol.Errors.INVALID_REQUEST, e.getMessage()));
        }
        List<ConfigChange> changes = new ArrayList<>();
        for (String key : new TreeSet<>(newProps.keySet())) {
            if (!newProps.get(key).equals(current.get(key))) {
                changes.add(ConfigChange.set(resource, key, newProps.get(key)));
            }
        }
        for (String key : new TreeSet<>(current.keySet())) {
            if (!newProps.containsKey(key)) {
                changes.add(ConfigChange.delete(resource, key));
            }
        }
        return ctx.quorum().alterConfigs(changes, validateOnly).handle((ok, error) -> error == null
                ? ApiError.NONE : new ApiError(ErrorMapper.toError(error), ErrorMapper.message(error)));
    }

    private void validate(ConfigResource resource, Map<String, String> newProps, ClusterImage image) {
        if (resource.type() == ConfigResource.Type.TOPIC) {
            TopicConfigs.parse(newProps);
            return;
        }
        boolean perBroker = !resource.name().isEmpty();
        Map<String, String> other = image.configs(perBroker
                ? ConfigResource.clusterDefault() : ConfigResource.broker(Integer.toString(ctx.nodeId())));
        dynamic.validate(newProps, other, perBroker);
    }

    /** Kafka's request checks: each key at most once, a value for every non-DELETE op. */
    static void checkKeys(List<String> names, List<String> namesWithoutValue) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new InvalidRequestException("Error due to duplicate config keys");
        }
        if (!namesWithoutValue.isEmpty()) {
            throw new InvalidRequestException("Null value not supported for : " + String.join(", ",
                    namesWithoutValue));
        }
    }

    /** A mutable copy of the resource's current dynamic configs. */
    static Map<String, String> copy(Map<String, String> current) {
        return new HashMap<>(current);
    }
}
