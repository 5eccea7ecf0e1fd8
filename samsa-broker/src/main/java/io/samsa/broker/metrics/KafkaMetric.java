package io.samsa.broker.metrics;

import java.util.List;
import java.util.Locale;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One of Kafka's metrics by its MBean coordinates ({@code domain:type=Type,name=Name,tag=...}) and the Prometheus name
 * the Prometheus JMX exporter's Kafka rules ({@code prometheus/jmx_exporter} {@code examples/kafka-kraft-3_0_0.yml},
 * same as {@code kafka-2_0_0.yml} for these patterns, {@code lowercaseOutputName: true}) give it, so that dashboards
 * and alerts written for a JMX-exported Kafka read Samsa unchanged:
 *
 * <ul>
 *   <li>a meter ({@code name=XPerSec}, attribute {@code Count}) → {@code kafka_<domain>_<type>_<x>_total}, a counter;</li>
 *   <li>a gauge (attribute {@code Value}) → {@code kafka_<domain>_<type>_<name>};</li>
 *   <li>a histogram or timer ({@code Count} and percentiles) → {@code kafka_<domain>_<type>_<name>}: here a Prometheus
 *       histogram ({@code _bucket}, {@code _count}, {@code _sum}), whose {@code _count} is the exporter's name.</li>
 * </ul>
 * The tags become labels of the same names, in the MBean's order. Dots in the domain (e.g.
 * {@code kafka.coordinator.group}) become underscores, as the exporter's coordinator rule does.
 *
 * @param domain  the MBean domain, e.g. {@code kafka.server}
 * @param type    the {@code type} key, e.g. {@code BrokerTopicMetrics}
 * @param name    the {@code name} key, e.g. {@code MessagesInPerSec}
 * @param kind    how Kafka exposes it
 * @param tagKeys the further keys of the MBean name, in order (e.g. {@code topic}, {@code partition})
 */
public record KafkaMetric(String domain, String type, String name, Kind kind, List<String> tagKeys) {

    /** How Kafka exposes a metric over JMX (Yammer metric kinds). */
    public enum Kind { METER, GAUGE, HISTOGRAM }

    public KafkaMetric {
        tagKeys = List.copyOf(tagKeys);
    }

    public static KafkaMetric meter(String domain, String type, String name, String... tagKeys) {
        return new KafkaMetric(domain, type, name, Kind.METER, List.of(tagKeys));
    }

    public static KafkaMetric gauge(String domain, String type, String name, String... tagKeys) {
        return new KafkaMetric(domain, type, name, Kind.GAUGE, List.of(tagKeys));
    }

    public static KafkaMetric histogram(String domain, String type, String name, String... tagKeys) {
        return new KafkaMetric(domain, type, name, Kind.HISTOGRAM, List.of(tagKeys));
    }

    /**
     * The name the JMX exporter's rules give this metric, without the suffix Prometheus adds per type: counters get
     * {@code _total} from the registry ({@link #prometheusName()} includes it), histograms {@code _bucket},
     * {@code _count}, {@code _sum}.
     */
    public String baseName() {
        String n = kind == Kind.METER && name.contains("PerSec") ? name.substring(0, name.indexOf("PerSec")) : name;
        return (domain.replace('.', '_') + "_" + type + "_" + n).replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /** The full Prometheus name: {@link #baseName()} plus {@code _total} for a meter. */
    public String prometheusName() {
        return kind == Kind.METER ? baseName() + "_total" : baseName();
    }

    /**
     * Kafka's MBean name with these tag values (same order as {@link #tagKeys()}); values are quoted when JMX needs it.
     *
     * @throws IllegalArgumentException when the number of values differs from the keys
     */
    public ObjectName objectName(List<String> tagValues) {
        if (tagValues.size() != tagKeys.size()) {
            throw new IllegalArgumentException(this + " takes " + tagKeys + ", got " + tagValues);
        }
        StringBuilder s = new StringBuilder(domain).append(":type=").append(type).append(",name=").append(name);
        for (int i = 0; i < tagKeys.size(); i++) {
            s.append(',').append(tagKeys.get(i)).append('=').append(jmxValue(tagValues.get(i)));
        }
        try {
            return new ObjectName(s.toString());
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("Not an MBean name: " + s, e);
        }
    }

    private static String jmxValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
                return ObjectName.quote(value);
            }
        }
        return value;
    }
}
