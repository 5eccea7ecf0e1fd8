package io.samsa.broker;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.metadata.MetadataQuorum;
import io.samsa.metadata.TopicImage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Creates topics through the controller with the broker's defaults ({@code num.partitions},
 * {@code default.replication.factor}), and auto-creates topics named by Metadata and Produce requests when
 * {@code auto.create.topics.enable} is set. Concurrent auto-creations of one name share one controller request.
 *
 * <p>Thread-safe.
 */
public final class TopicCreator {
    private final BrokerConfig config;
    private final MetadataQuorum quorum;
    private final Map<String, CompletableFuture<TopicImage>> inFlight = new ConcurrentHashMap<>();

    public TopicCreator(BrokerConfig config, MetadataQuorum quorum) {
        this.config = config;
        this.quorum = quorum;
    }

    /** True when the name may be auto-created: the setting is on, the name is legal and not internal. */
    public boolean mayAutoCreate(String name) {
        return config.autoCreateTopicsEnable() && Topic.isValid(name) && !Topic.isInternal(name);
    }

    /**
     * Creates {@code name} with the default partition count and replication factor unless it exists or is being
     * created; completes when it is committed (or failed, e.g. TOPIC_ALREADY_EXISTS from a racing creation).
     */
    public CompletableFuture<TopicImage> autoCreate(String name) {
        if (!Topic.isValid(name)) {
            return CompletableFuture.failedFuture(new InvalidTopicException("Invalid topic name: " + name));
        }
        CompletableFuture<TopicImage> mine = new CompletableFuture<>();
        CompletableFuture<TopicImage> existing = inFlight.putIfAbsent(name, mine);
        if (existing != null) {
            return existing;
        }
        quorum.createTopic(name, config.numPartitions(), config.defaultReplicationFactor(), Map.of(), false)
                .whenComplete((topic, error) -> {
                    inFlight.remove(name, mine);
                    if (error != null) {
                        mine.completeExceptionally(error);
                    } else {
                        mine.complete(topic);
                    }
                });
        return mine;
    }
}
