package io.samsa.coordinator.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Creates an internal topic through the metadata quorum; the broker provides it. Thread-safe. */
@FunctionalInterface
public interface CoordinatorTopicCreator {

    /** @return completes once the controller committed the topic; fails with its error (e.g. too few brokers) */
    CompletableFuture<?> create(String name, int partitions, short replication, Map<String, String> configs);
}
