package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.HIGH;
import static io.samsa.broker.config.ConfigKey.Importance.LOW;
import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.BOOLEAN;
import static io.samsa.broker.config.ConfigType.INT;
import static io.samsa.broker.config.ConfigType.LIST;
import static io.samsa.broker.config.ConfigType.LONG;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.atLeast;
import static io.samsa.broker.config.Validators.listOf;

import java.util.List;

/**
 * The cluster keys of Apache Kafka 4.3 (process roles, racks, the inter-broker listener, broker liveness and the
 * replica fetchers), with Kafka's names, types, defaults and ranges ({@code KRaftConfigs}, {@code ReplicationConfigs},
 * {@code ServerConfigs}). Only {@code process.roles} differs: Kafka requires it, Samsa defaults to both roles (ADR
 * 0003).
 */
final class ClusterConfigDefs {
    static final String PROCESS_ROLES = "process.roles";
    static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    static final String SECURITY_INTER_BROKER_PROTOCOL = "security.inter.broker.protocol";
    static final String BROKER_RACK = "broker.rack";
    static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
    static final String REPLICA_FETCH_MIN_BYTES = "replica.fetch.min.bytes";
    static final String REPLICA_FETCH_RESPONSE_MAX_BYTES = "replica.fetch.response.max.bytes";
    static final String REPLICA_FETCH_BACKOFF_MS = "replica.fetch.backoff.ms";
    static final String REPLICA_SOCKET_TIMEOUT_MS = "replica.socket.timeout.ms";
    static final String NUM_REPLICA_FETCHERS = "num.replica.fetchers";
    static final String REPLICA_SELECTOR_CLASS = "replica.selector.class";
    static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";

    private ClusterConfigDefs() {
    }

    static ConfigDef defineInto(ConfigDef def) {
        return def
                .define(PROCESS_ROLES, LIST, List.of("broker", "controller"), listOf("broker", "controller"), HIGH,
                        "Roles of this process: broker, controller or both (Samsa default: both; Kafka requires it).")
                .define(INTER_BROKER_LISTENER_NAME, STRING, null, null, MEDIUM,
                        "Listener used between brokers; default: the listener named after "
                                + SECURITY_INTER_BROKER_PROTOCOL + ".")
                .accept(SECURITY_INTER_BROKER_PROTOCOL, STRING, "PLAINTEXT", null, MEDIUM,
                        "Security protocol used between brokers.")
                .define(BROKER_RACK, STRING, null, null, MEDIUM, "Rack of the broker, for replica placement.")
                .define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, false, null, HIGH,
                        "Allow a replica outside the ISR to become leader (data may be lost).")
                .define(REPLICA_LAG_TIME_MAX_MS, LONG, 30_000L, null, HIGH,
                        "A follower that has not caught up with the leader for this long (ms) leaves the ISR.")
                .define(BROKER_SESSION_TIMEOUT_MS, INT, 9000, null, MEDIUM,
                        "A broker that sends no heartbeat for this long (ms) is fenced.")
                .define(BROKER_HEARTBEAT_INTERVAL_MS, INT, 2000, null, MEDIUM,
                        "How often (ms) a broker heartbeats to the controller.")
                .define(REPLICA_FETCH_MAX_BYTES, INT, 1_048_576, atLeast(0), MEDIUM,
                        "Bytes a follower fetches per partition in one request (a larger first batch still comes).")
                .define(REPLICA_FETCH_WAIT_MAX_MS, INT, 500, null, HIGH,
                        "Maximum wait (ms) of a follower fetch; at most replica.socket.timeout.ms.")
                .define(REPLICA_FETCH_MIN_BYTES, INT, 1, null, HIGH,
                        "Minimum bytes of a follower fetch response before the wait ends.")
                .define(REPLICA_FETCH_RESPONSE_MAX_BYTES, INT, 10_485_760, atLeast(0), MEDIUM,
                        "Maximum bytes of a whole follower fetch response.")
                .define(REPLICA_FETCH_BACKOFF_MS, INT, 1000, atLeast(0), MEDIUM,
                        "Sleep (ms) of a fetcher after a fetch partition error.")
                .define(REPLICA_SOCKET_TIMEOUT_MS, INT, 30_000, null, HIGH,
                        "Socket timeout (ms) of follower fetch requests.")
                .define(NUM_REPLICA_FETCHERS, INT, 1, atLeast(1), HIGH,
                        "Fetcher threads per source broker.")
                .define(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, INT, 1000, atLeast(0), MEDIUM,
                        "Incremental fetch sessions (KIP-227) the broker keeps for consumers and followers; 0: none.")
                .define(REPLICA_SELECTOR_CLASS, STRING, null, null, LOW,
                        "ReplicaSelector class for fetch-from-follower (KIP-392), e.g. "
                                + "org.apache.kafka.common.replica.RackAwareReplicaSelector; default: the leader.");
    }
}
