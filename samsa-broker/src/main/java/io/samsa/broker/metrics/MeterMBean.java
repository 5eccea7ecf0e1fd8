package io.samsa.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import java.util.List;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;

/**
 * A read-only MBean over one or more Micrometer meters, with the attributes Kafka's Yammer MBeans have for that kind:
 * a meter {@code Count} (and {@code MeanRate}, events per second since the MBean was made); a gauge {@code Value}; a
 * histogram {@code Count}, {@code Mean}, {@code Max} (ms). Values are read from the meters at each JMX read.
 *
 * <p>Several meters (the per-topic meters of one Kafka metric) make the aggregate MBean, their sum. Thread-safe.
 */
final class MeterMBean implements DynamicMBean {
    private final KafkaMetric.Kind kind;
    private final Supplier<List<Meter>> meters;
    private final long createdNanos = System.nanoTime();

    MeterMBean(KafkaMetric.Kind kind, Supplier<List<Meter>> meters) {
        this.kind = kind;
        this.meters = meters;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        return switch (kind) {
            case METER -> switch (attribute) {
                case "Count" -> (long) count();
                case "MeanRate" -> count() / Math.max(1e-9, (System.nanoTime() - createdNanos) / 1e9);
                default -> throw new AttributeNotFoundException(attribute);
            };
            case GAUGE -> {
                if (!"Value".equals(attribute)) {
                    throw new AttributeNotFoundException(attribute);
                }
                double v = meters.get().stream().mapToDouble(m -> m instanceof Gauge g ? g.value() : 0).sum();
                yield v == Math.rint(v) && !Double.isInfinite(v) ? (Object) (long) v : (Object) v;
            }
            case HISTOGRAM -> {
                DistributionSummary s = meters.get().stream().filter(DistributionSummary.class::isInstance)
                        .map(DistributionSummary.class::cast).findFirst().orElse(null);
                yield switch (attribute) {
                    case "Count" -> s == null ? 0L : s.count();
                    case "Mean" -> s == null ? 0.0 : s.mean();
                    case "Max" -> s == null ? 0.0 : s.max();
                    default -> throw new AttributeNotFoundException(attribute);
                };
            }
        };
    }

    private double count() {
        double sum = 0;
        for (Meter m : meters.get()) {
            if (m instanceof Counter c) {
                sum += c.count();
            } else if (m instanceof FunctionCounter f) {
                sum += f.count();
            }
        }
        return sum;
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            try {
                list.add(new Attribute(a, getAttribute(a)));
            } catch (AttributeNotFoundException e) {
                // left out, as the JMX contract allows
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] attrs = switch (kind) {
            case METER -> new MBeanAttributeInfo[] {attr("Count", "long"), attr("MeanRate", "double")};
            case GAUGE -> new MBeanAttributeInfo[] {attr("Value", "java.lang.Object")};
            case HISTOGRAM -> new MBeanAttributeInfo[] {attr("Count", "long"), attr("Mean", "double"),
                    attr("Max", "double")};
        };
        return new MBeanInfo(getClass().getName(), "Samsa metric (Kafka's MBean name)", attrs, null,
                new MBeanOperationInfo[0], null);
    }

    private static MBeanAttributeInfo attr(String name, String type) {
        return new MBeanAttributeInfo(name, type, name, true, false, false);
    }
}
