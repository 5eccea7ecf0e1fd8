package io.samsa.broker.replica;

/**
 * Per-topic traffic for the metrics (Kafka's {@code BrokerTopicMetrics}): told once per appended batch set and once
 * per partition of a consumer fetch, never per record.
 *
 * <p>Implementations must be thread-safe, lock-free on their fast path, and cheap: they run on the I/O pool and the
 * event loops for every produce and fetch.
 */
public interface TopicTraffic {

    /** No metrics. */
    TopicTraffic NONE = new TopicTraffic() {
        @Override
        public void appended(String topic, int records, int bytes) {
        }

        @Override
        public void fetched(String topic, int bytes) {
        }
    };

    /** A leader appended {@code records} records of {@code bytes} bytes to a partition of {@code topic}. */
    void appended(String topic, int records, int bytes);

    /** A consumer fetch (not a follower's) returned {@code bytes} bytes of records of a partition of {@code topic}. */
    void fetched(String topic, int bytes);
}
