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
 * @param security       ACLs, SCRAM credentials and client quotas
 *
 * <p>All maps are unmodifiable. {@code clusterId} is null only before the quorum's first leader has formatted the
 * log ({@link MetadataQuorum#start} returns after that). {@code controllerId} and {@code controllerEpoch} are not in
 * the log: they describe the Raft leadership when the image was read.
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
        long appliedIndex,
        SecurityImage security) {

    public ClusterImage {
        java.util.Objects.requireNonNull(security, "security");
    }

    /** An image without ACLs, SCRAM credentials or quotas. */
    public ClusterImage(String clusterId, int controllerId, long controllerEpoch, Map<Integer, BrokerRegistration> brokers,
                        Map<String, TopicImage> topics, Map<UUID, TopicImage> topicsById,
                        Map<ConfigResource, Map<String, String>> configs, long nextProducerId, long appliedIndex) {
        this(clusterId, controllerId, controllerEpoch, brokers, topics, topicsById, configs, nextProducerId,
                appliedIndex, SecurityImage.empty());
    }

    /** The image of a log with nothing applied: no cluster id, no brokers, no topics. */
    public static ClusterImage empty() {
        return new ClusterImage(null, -1, 0, Map.of(), Map.of(), Map.of(), Map.of(), 0, 0);
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicImage> topic(UUID id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    public Map<String, String> configs(ConfigResource resource) {
        return configs.getOrDefault(resource, Map.of());
    }

    /** This image with another controller (Raft leader node id) and controller epoch (Raft term). */
    public ClusterImage withController(int newControllerId, long newControllerEpoch) {
        if (newControllerId == controllerId && newControllerEpoch == controllerEpoch) {
            return this;
        }
        return new ClusterImage(clusterId, newControllerId, newControllerEpoch, brokers, topics, topicsById, configs,
                nextProducerId, appliedIndex, security);
    }
}
