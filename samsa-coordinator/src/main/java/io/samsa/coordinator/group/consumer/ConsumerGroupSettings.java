package io.samsa.coordinator.group.consumer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KIP-848 consumer-group settings, with Kafka's broker keys and defaults. Times in ms.
 *
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms} (45000): a member that does not heartbeat for
 *                            this long is removed from its group
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms} (5000), told to members in every response
 * @param maxSize             {@code group.consumer.max.size} (unbounded): more joins fail with GROUP_MAX_SIZE_REACHED
 * @param assignors           {@code group.consumer.assignors} ("uniform,range") by name, in order; the first is the
 *                            default
 */
public record ConsumerGroupSettings(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize,
                                    Map<String, ConsumerGroupAssignor> assignors) {

    public ConsumerGroupSettings {
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("group.consumer.assignors must name at least one assignor");
        }
        assignors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assignors));
    }

    /** Kafka's defaults with the given session timeout and heartbeat interval. */
    public static ConsumerGroupSettings defaults(int sessionTimeoutMs, int heartbeatIntervalMs) {
        return new ConsumerGroupSettings(sessionTimeoutMs, heartbeatIntervalMs, Integer.MAX_VALUE,
                assignors(List.of(UniformAssignor.NAME, RangeAssignor.NAME)));
    }

    public ConsumerGroupSettings withMaxSize(int size) {
        return new ConsumerGroupSettings(sessionTimeoutMs, heartbeatIntervalMs, size, assignors);
    }

    // also accepts Kafka's class names of the two
    /**
     * The built-in assignors named, in order ({@code group.consumer.assignors}).
     *
     * @throws IllegalArgumentException for an unknown name or none
     */
    public static Map<String, ConsumerGroupAssignor> assignors(List<String> names) {
        Map<String, ConsumerGroupAssignor> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            String name = n.trim();
            if (name.equals(UniformAssignor.NAME) || name.endsWith(".UniformAssignor")) {
                out.put(UniformAssignor.NAME, new UniformAssignor());
            } else if (name.equals(RangeAssignor.NAME) || name.endsWith(".RangeAssignor")) {
                out.put(RangeAssignor.NAME, new RangeAssignor());
            } else if (!name.isEmpty()) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown group.consumer.assignors " + unknown
                    + "; Samsa has uniform and range");
        }
        return out;
    }

    /** The default assignor (the first configured). */
    public ConsumerGroupAssignor defaultAssignor() {
        return assignors.values().iterator().next();
    }
}
