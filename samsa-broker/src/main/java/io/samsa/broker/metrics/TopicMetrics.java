package io.samsa.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.samsa.broker.replica.TopicTraffic;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka's {@code BrokerTopicMetrics} per topic: messages and bytes in (leader appends), bytes out (consumer fetches,
 * not followers'), produce and fetch requests per partition. One map lookup (lock-free on a hit) and a few adder
 * increments per appended batch set or fetched partition; the meters of a topic are made on its first use.
 *
 * <p>Thread-safe. The aggregate over all topics (Kafka's MBean without {@code topic}) is JMX-only
 * ({@link KafkaJmx}): Prometheus sums by topic.
 */
final class TopicMetrics implements TopicTraffic {

    private record Meters(Counter messagesIn, Counter bytesIn, Counter bytesOut, Counter produces, Counter fetches) {
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Meters> topics = new ConcurrentHashMap<>();

    TopicMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void appended(String topic, int records, int bytes) {
        Meters m = of(topic);
        m.messagesIn.increment(records);
        m.bytesIn.increment(bytes);
        m.produces.increment();
    }

    @Override
    public void fetched(String topic, int bytes) {
        Meters m = of(topic);
        m.bytesOut.increment(bytes);
        m.fetches.increment();
    }

    private Meters of(String topic) {
        Meters m = topics.get(topic);
        return m != null ? m : topics.computeIfAbsent(topic, this::create);
    }

    private Meters create(String topic) {
        return new Meters(counter(KafkaMetrics.MESSAGES_IN, topic), counter(KafkaMetrics.BYTES_IN, topic),
                counter(KafkaMetrics.BYTES_OUT, topic), counter(KafkaMetrics.TOTAL_PRODUCE_REQUESTS, topic),
                counter(KafkaMetrics.TOTAL_FETCH_REQUESTS, topic));
    }

    private Counter counter(KafkaMetric metric, String topic) {
        return Counter.builder(metric.baseName()).tag("topic", topic).register(registry);
    }

    /** Drops the meters of topics that no longer exist (called on scrape with the image's topics). */
    void retain(Set<String> existing) {
        topics.keySet().removeIf(topic -> {
            if (existing.contains(topic)) {
                return false;
            }
            Meters m = topics.get(topic);
            if (m != null) {
                registry.remove(m.messagesIn);
                registry.remove(m.bytesIn);
                registry.remove(m.bytesOut);
                registry.remove(m.produces);
                registry.remove(m.fetches);
            }
            return true;
        });
    }
}
