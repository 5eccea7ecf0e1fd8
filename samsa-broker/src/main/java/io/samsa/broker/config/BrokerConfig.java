package io.samsa.broker.config;

import io.samsa.storage.LogConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The broker's settings, parsed once from Kafka-style properties ({@code server.properties} plus overrides) with
 * Kafka's key names and defaults. Immutable.
 *
 * @param nodeId                    {@code node.id} (default 1)
 * @param listeners                 {@code listeners} (default {@code PLAINTEXT://localhost:9092})
 * @param advertisedListeners       {@code advertised.listeners} (default: the listeners)
 * @param logDirs                   {@code log.dirs} / {@code log.dir} (default {@code ./samsa-data})
 * @param metadataLogDir            {@code metadata.log.dir} (default: first log dir + {@code /__samsa_metadata})
 * @param controllerQuorumVoters    {@code controller.quorum.voters} as id to host:port (default: this node, port 0)
 * @param numPartitions             {@code num.partitions} (default 1)
 * @param defaultReplicationFactor  {@code default.replication.factor} (default 1)
 * @param autoCreateTopicsEnable    {@code auto.create.topics.enable} (default true)
 * @param socketRequestMaxBytes     {@code socket.request.max.bytes} (default 104857600)
 * @param numNetworkThreads         {@code num.network.threads} (default 3)
 * @param numIoThreads              {@code num.io.threads} (default 8)
 * @param logFlushSchedulerIntervalMs {@code log.flush.scheduler.interval.ms} (default Long.MAX_VALUE)
 * @param logDefaults               broker-level log settings ({@code log.segment.bytes}, {@code log.roll.ms}/
 *                                  {@code log.roll.hours}, {@code log.flush.interval.messages}, ...)
 * @param original                  the properties as given (after overrides)
 */
public record BrokerConfig(
        int nodeId,
        List<Listener> listeners,
        List<Listener> advertisedListeners,
        List<Path> logDirs,
        Path metadataLogDir,
        Map<Integer, String> controllerQuorumVoters,
        int numPartitions,
        short defaultReplicationFactor,
        boolean autoCreateTopicsEnable,
        int socketRequestMaxBytes,
        int numNetworkThreads,
        int numIoThreads,
        long logFlushSchedulerIntervalMs,
        LogConfig logDefaults,
        Map<String, String> original) {

    /** One listener: {@code NAME://host:port}. */
    public record Listener(String name, String host, int port) {
    }

    /**
     * Parses and validates. Unknown keys are logged as warnings and ignored.
     *
     * @throws ConfigException naming the key, the value and why, for an invalid value
     */
    public static BrokerConfig fromProperties(Map<String, String> props) { throw new UnsupportedOperationException(); }
}
