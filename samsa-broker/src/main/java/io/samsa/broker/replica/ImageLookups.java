package io.samsa.broker.replica;

import io.samsa.broker.config.TopicConfigs;
import io.samsa.metadata.BrokerRegistration;
import io.samsa.metadata.ClusterImage;
import io.samsa.metadata.ConfigResource;
import io.samsa.storage.LogConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link ReplicaManager}'s parts look up in the metadata image besides partition placement: whether a broker
 * is unfenced (ISR expansion, KIP-392 candidates), a broker's inter-broker address (the fetchers), and a topic's
 * effective {@link LogConfig} and {@code min.insync.replicas} (topic config over dynamic broker defaults, KIP-226).
 *
 * <p>Thread-safe: immutable; each lookup reads the image it is given or the newest one, without locks.
 */
final class ImageLookups {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImageLookups.class);
    /** The {@code min.insync.replicas} key (topic, dynamic broker or static broker config). */
    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final int nodeId;
    private final Supplier<ClusterImage> image;
    /** The broker-level log defaults under an image's dynamic broker configs (KIP-226). */
    private final Function<ClusterImage, LogConfig> brokerDefaults;
    private final ReplicationSettings settings;
    private final int defaultMinInsyncReplicas;

    /** See {@link ReplicaManager#ReplicaManager} for the parameters. */
    ImageLookups(int nodeId, Supplier<ClusterImage> image, Function<ClusterImage, LogConfig> brokerDefaults,
                 ReplicationSettings settings, int defaultMinInsyncReplicas) {
        this.nodeId = nodeId;
        this.image = image;
        this.brokerDefaults = brokerDefaults;
        this.settings = settings;
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
    }

    /** Whether {@code brokerId} is registered and unfenced in the newest image. */
    boolean brokerUnfenced(int brokerId) {
        BrokerRegistration b = image.get().brokers().get(brokerId);
        return b != null && !b.fenced();
    }

    /** A broker's endpoint on the inter-broker listener (its first endpoint when it has no such listener). */
    Optional<InetSocketAddress> brokerAddress(int brokerId) {
        BrokerRegistration b = image.get().brokers().get(brokerId);
        if (b == null || b.endpoints().isEmpty()) {
            return Optional.empty();
        }
        BrokerRegistration.Endpoint ep = b.endpoints().stream()
                .filter(e -> e.listener().equals(settings.interBrokerListener()))
                .findFirst().orElse(b.endpoints().getFirst());
        return Optional.of(InetSocketAddress.createUnresolved(ep.host(), ep.port()));
    }

    /** The log config of {@code topic} in {@code current}: its topic configs over the broker-level defaults. */
    LogConfig logConfig(ClusterImage current, String topic) {
        return TopicConfigs.toLogConfig(current.configs(ConfigResource.topic(topic)), brokerDefaults.apply(current));
    }

    /** {@code min.insync.replicas} of a topic: its own config, else the dynamic broker/cluster one, else static. */
    int minInsyncReplicas(ClusterImage current, String topic) {
        for (ConfigResource resource : List.of(ConfigResource.topic(topic),
                ConfigResource.broker(Integer.toString(nodeId)), ConfigResource.clusterDefault())) {
            String value = current.configs(resource).get(MIN_INSYNC_REPLICAS);
            if (value != null) {
                try {
                    return Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    LOGGER.debug("Ignoring an invalid {}={} on {}", MIN_INSYNC_REPLICAS, value, resource);
                }
            }
        }
        return defaultMinInsyncReplicas;
    }
}
