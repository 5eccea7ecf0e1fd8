package io.samsa.broker.replica;

import io.samsa.broker.config.BrokerConfig;
import io.samsa.broker.net.InterBrokerSecurity;

/**
 * The follower and ISR settings, Kafka's keys and defaults.
 *
 * @param replicaLagTimeMaxMs      {@code replica.lag.time.max.ms} (30000): a follower not caught up for this long
 *                                 leaves the ISR
 * @param fetchMaxBytes            {@code replica.fetch.max.bytes} (1 MiB): bytes per partition per fetch (the first
 *                                 batch always whole)
 * @param fetchResponseMaxBytes    {@code replica.fetch.response.max.bytes} (10 MiB)
 * @param fetchWaitMaxMs           {@code replica.fetch.wait.max.ms} (500): the leader's long-poll bound
 * @param fetchMinBytes            {@code replica.fetch.min.bytes} (1)
 * @param fetchBackoffMs           {@code replica.fetch.backoff.ms} (1000): pause after a failed fetch
 * @param socketTimeoutMs          {@code replica.socket.timeout.ms} (30000): connect and request timeout
 * @param interBrokerListener      {@code inter.broker.listener.name}: the leader's endpoint followers connect to
 * @param replicaSelectorClass     {@code replica.selector.class} (KIP-392): the {@code ReplicaSelector} that picks the
 *                                 replica a consumer with a {@code client.rack} should fetch from; null = the leader
 * @param interBrokerSecurity      the inter-broker listener's security protocol and the keys the fetchers' connections
 *                                 use (TLS/SASL as Kafka's replica fetcher)
 */
public record ReplicationSettings(long replicaLagTimeMaxMs, int fetchMaxBytes, int fetchResponseMaxBytes,
                                  int fetchWaitMaxMs, int fetchMinBytes, int fetchBackoffMs, int socketTimeoutMs,
                                  String interBrokerListener, String replicaSelectorClass,
                                  InterBrokerSecurity interBrokerSecurity) {

    /** Settings whose fetchers connect over PLAINTEXT. */
    public ReplicationSettings(long replicaLagTimeMaxMs, int fetchMaxBytes, int fetchResponseMaxBytes,
                               int fetchWaitMaxMs, int fetchMinBytes, int fetchBackoffMs, int socketTimeoutMs,
                               String interBrokerListener, String replicaSelectorClass) {
        this(replicaLagTimeMaxMs, fetchMaxBytes, fetchResponseMaxBytes, fetchWaitMaxMs, fetchMinBytes, fetchBackoffMs,
                socketTimeoutMs, interBrokerListener, replicaSelectorClass,
                InterBrokerSecurity.plaintext(interBrokerListener));
    }

    /** Kafka's defaults, with {@code listener} as the inter-broker listener. */
    public static ReplicationSettings defaults(String listener) {
        return new ReplicationSettings(30_000, 1_048_576, 10_485_760, 500, 1, 1_000, 30_000, listener, null);
    }

    public static ReplicationSettings from(BrokerConfig config) {
        var v = config.values();
        String listener = v.getString("inter.broker.listener.name");
        if (listener == null || listener.isEmpty()) {
            listener = config.listeners().isEmpty() ? "PLAINTEXT" : config.listeners().getFirst().name();
        }
        // the fetchers connect with the inter-broker listener's security protocol (TLS/SASL), as Kafka's
        InterBrokerSecurity security = config.listeners().isEmpty() ? InterBrokerSecurity.plaintext(listener)
                : new InterBrokerSecurity(listener.toUpperCase(java.util.Locale.ROOT),
                        config.securityProtocol(listener), config.original());
        return new ReplicationSettings(v.getLong("replica.lag.time.max.ms"), v.getInt("replica.fetch.max.bytes"),
                v.getInt("replica.fetch.response.max.bytes"), v.getInt("replica.fetch.wait.max.ms"),
                v.getInt("replica.fetch.min.bytes"), v.getInt("replica.fetch.backoff.ms"),
                v.getInt("replica.socket.timeout.ms"), listener, v.getString("replica.selector.class"), security);
    }
}
