package io.samsa.metadata;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable view of the cluster's metadata after applying every committed record up to {@code appliedIndex}
 * (Kafka's {@code MetadataImage}). Handlers read it without locks; a new image replaces the old one on each commit.
 *
 * @param clusterId      the cluster id (22-character URL-safe base64, as Kafka's)
 * @param controllerId   node id of the active controller (Ratis leader), or -1 when unknown
 * @param controllerEpoch the Raft term of the active controller
 * @param brokers        registered brokers by node id
 * @param topics         topics by name
 * @param topicsById     the same topics by topic id
 * @param configs        dynamic configs: resource (topic name, or broker id as a string; "" = cluster default)
 *                       to key/value
 * @param nextProducerId the first producer id not yet handed out to any broker
 * @param appliedIndex   the Raft log index of the last applied entry
 */
public record ClusterImage(
        String clusterId,
        int controllerId,
        long controllerEpoch,
        Map<Integer, BrokerRegistration> brokers,
        Map<String, TopicImage> topics,
        Map<UUID, TopicImage> topicsById,
        Map<ConfigResource, Map<String, String>> configs,
        long nextProducerId,
        long appliedIndex) {

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicImage> topic(UUID id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    public Map<String, String> configs(ConfigResource resource) {
        return configs.getOrDefault(resource, Map.of());
    }
}
