package io.samsa.protocol;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Request metrics at the protocol edge (Kafka's {@code kafka.network:type=RequestMetrics}): told, once per answered
 * request on the connection's event loop, how long each stage took.
 *
 * <p>Stages, all in nanoseconds from {@link System#nanoTime()}: request queue = frame decoded → handler called;
 * local = handler called → its future completed (Kafka's LocalTimeMs + RemoteTimeMs: disk, purgatory, replication
 * waits); response queue = future completed → back on the event loop and serialized; total = frame decoded →
 * response handed to the per-connection writer (the network send itself is not included).
 *
 * <p>Implementations must be thread-safe, lock-free and must not allocate or block: this runs for every request.
 */
@FunctionalInterface
public interface RequestObserver {

    /** No metrics. */
    RequestObserver NONE = (api, version, requestQueueNanos, localNanos, responseQueueNanos, totalNanos, failed) -> {
    };

    /**
     * @param failed the handler failed (the client got the API's error response or the connection closed)
     */
    void answered(ApiKeys api, short version, long requestQueueNanos, long localNanos, long responseQueueNanos,
                  long totalNanos, boolean failed);
}
