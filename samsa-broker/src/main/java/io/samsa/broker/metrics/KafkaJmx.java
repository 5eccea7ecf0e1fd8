package io.samsa.broker.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's meters over JMX under Kafka's MBean names ({@link KafkaMetric#objectName}), for the tools that read
 * JMX (JConsole, jmxterm, the Prometheus JMX exporter with Kafka's rules): each meter whose name is a
 * {@link KafkaMetrics} metric gets an MBean when it is added to the registry and loses it when removed. Per-topic
 * {@code BrokerTopicMetrics} also get Kafka's all-topics MBean (no {@code topic} key), the sum over topics.
 *
 * <p>With several brokers in one JVM (tests) the first broker's MBean keeps a name; the others are skipped (DEBUG).
 * Thread-safe.
 */
final class KafkaJmx implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaJmx.class);
    private static final Map<String, KafkaMetric> BY_NAME = byName();

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final MeterRegistry registry;
    private final Map<Meter.Id, ObjectName> registered = new ConcurrentHashMap<>();
    private final Set<ObjectName> aggregates = ConcurrentHashMap.newKeySet();

    KafkaJmx(MeterRegistry registry) {
        this.registry = registry;
        registry.config().onMeterAdded(this::added);
        registry.config().onMeterRemoved(this::removed);
        registry.getMeters().forEach(this::added);
    }

    /** The Kafka metric a registry meter name stands for, or null. */
    static KafkaMetric metricOf(String meterName) {
        return BY_NAME.get(meterName);
    }

    private void added(Meter meter) {
        KafkaMetric metric = BY_NAME.get(meter.getId().getName());
        if (metric == null) {
            return;
        }
        List<String> values = new ArrayList<>(metric.tagKeys().size());
        for (String key : metric.tagKeys()) {
            String value = meter.getId().getTag(key);
            if (value == null) {
                return; // not shaped as Kafka's MBean: no JMX name
            }
            values.add(value);
        }
        ObjectName name = metric.objectName(values);
        if (register(name, new MeterMBean(metric.kind(), () -> List.of(meter)))) {
            registered.put(meter.getId(), name);
        }
        if (metric.tagKeys().equals(List.of("topic"))) {
            ObjectName all = new KafkaMetric(metric.domain(), metric.type(), metric.name(), metric.kind(), List.of())
                    .objectName(List.of());
            if (!aggregates.contains(all) && register(all, new MeterMBean(metric.kind(),
                    () -> List.copyOf(registry.find(metric.baseName()).meters())))) {
                aggregates.add(all);
            }
        }
    }

    private boolean register(ObjectName name, MeterMBean bean) {
        try {
            server.registerMBean(bean, name);
            return true;
        } catch (InstanceAlreadyExistsException e) {
            LOGGER.debug("MBean {} already registered (another broker in this JVM)", name);
            return false;
        } catch (JMException e) {
            LOGGER.warn("Cannot register MBean {}: {}", name, e.toString());
            return false;
        }
    }

    private void removed(Meter meter) {
        ObjectName name = registered.remove(meter.getId());
        if (name != null) {
            unregister(name);
        }
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            LOGGER.debug("MBean {} already gone: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        registered.values().forEach(this::unregister);
        registered.clear();
        aggregates.forEach(this::unregister);
        aggregates.clear();
    }

    private static Map<String, KafkaMetric> byName() {
        Map<String, KafkaMetric> map = new HashMap<>();
        for (Field f : KafkaMetrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == KafkaMetric.class) {
                try {
                    KafkaMetric m = (KafkaMetric) f.get(null);
                    map.put(m.baseName(), m);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (String state : KafkaMetrics.GROUP_STATES) {
            KafkaMetric m = KafkaMetrics.groupsIn(state);
            map.put(m.baseName(), m);
        }
        return Map.copyOf(map);
    }
}
