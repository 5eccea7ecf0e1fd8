package io.samsa.broker.quota;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The client quotas Kafka enforces per (user, client-id) entity, by their dynamic config key (KIP-13, KIP-55,
 * KIP-124, KIP-599).
 */
public enum QuotaType {
    /** Bytes per second produced ({@code producer_byte_rate}), measured on Produce request sizes. */
    PRODUCE("producer_byte_rate"),
    /** Bytes per second fetched by consumers ({@code consumer_byte_rate}), measured on Fetch response sizes. */
    FETCH("consumer_byte_rate"),
    /** Percentage of one request-handler thread's time per second ({@code request_percentage}). */
    REQUEST("request_percentage"),
    /** Partitions created or deleted per second ({@code controller_mutation_rate}), a token bucket. */
    CONTROLLER_MUTATION("controller_mutation_rate");

    /** The IP entity's only key: new connections per second from one IP (KIP-612). */
    public static final String CONNECTION_CREATION_RATE = "connection_creation_rate";

    private final String key;

    QuotaType(String key) {
        this.key = key;
    }

    /** The dynamic config key, e.g. {@code producer_byte_rate}. */
    public String key() {
        return key;
    }

    /**
     * The first version of a controller-mutation API that gets THROTTLING_QUOTA_EXCEEDED (strict quota, KIP-599);
     * older versions are only throttled. -1 for other APIs.
     */
    public static short strictMutationSince(ApiKeys api) {
        return switch (api) {
            case CREATE_TOPICS -> 6;
            case DELETE_TOPICS -> 5;
            case CREATE_PARTITIONS -> 3;
            default -> -1;
        };
    }
}
