package io.samsa.it.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The group protocols the group ITs run with ({@code group.protocol}): "classic" (JoinGroup/SyncGroup) and "consumer"
 * (KIP-848 ConsumerGroupHeartbeat); every parameterized group test runs with both.
 */
public final class GroupProtocols {
    /** Every protocol a parameterized group IT runs with. */
    public static final List<String> ALL = List.of("classic", "consumer");

    private GroupProtocols() {
    }

    /** JUnit {@code @MethodSource}. */
    public static List<String> all() {
        return ALL;
    }

    /**
     * Consumer settings for a group member with this protocol: manual commits, earliest reset, and fast failure
     * detection (a member that stops polling for {@code maxPollIntervalMs} leaves the group).
     */
    public static Map<String, Object> consumerProps(String protocol, String groupId, int maxPollIntervalMs) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        switch (protocol) {
            case "classic" -> {
                p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
                p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
            }
            default -> { }
        }
        return p;
    }
}
