package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.HIGH;
import static io.samsa.broker.config.ConfigKey.Importance.LOW;
import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.BOOLEAN;
import static io.samsa.broker.config.ConfigType.DOUBLE;
import static io.samsa.broker.config.ConfigType.INT;
import static io.samsa.broker.config.ConfigType.LIST;
import static io.samsa.broker.config.ConfigType.LONG;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.atLeast;
import static io.samsa.broker.config.Validators.between;
import static io.samsa.broker.config.Validators.listOf;
import static io.samsa.broker.config.Validators.oneOf;

import java.util.List;

/**
 * The broker-level keys (Kafka's {@code KafkaConfig}/{@code ServerLogConfigs} names and defaults) that Samsa acts on,
 * plus, via {@link AcceptedBrokerConfigDefs}, the common Kafka keys it accepts without acting on them yet.
 *
 * <p>Samsa's defaults differ from Kafka's on purpose in four places, so that {@code samsa server} with no arguments
 * runs one node locally: {@code node.id} defaults to 1 (Kafka: required), {@code listeners} to
 * {@code PLAINTEXT://localhost:9092} (Kafka: {@code PLAINTEXT://:9092}), {@code log.dir} to {@code ./samsa-data}
 * (Kafka: {@code /tmp/kafka-logs}) and {@code process.roles} to {@code broker,controller} (Kafka: required).
 */
public final class BrokerConfigDefs {
    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String CONTROLLER_QUORUM_VOTERS = "controller.quorum.voters";
    public static final String CONTROLLER_QUORUM_BOOTSTRAP_SERVERS = "controller.quorum.bootstrap.servers";
    public static final String LOG_DIR = "log.dir";
    public static final String LOG_DIRS = "log.dirs";
    public static final String METADATA_LOG_DIR = "metadata.log.dir";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    /** Samsa's HTTP listeners (metrics, health, console): {@code http://host:port} URLs; empty: none. */
    public static final String HTTP_LISTENERS = "http.listeners";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS =
            "replica.high.watermark.checkpoint.interval.ms";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "log.message.timestamp.before.max.ms";
    public static final String LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = "log.message.timestamp.after.max.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String NUM_RECOVERY_THREADS_PER_DATA_DIR = "num.recovery.threads.per.data.dir";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = "log.cleaner.io.max.bytes.per.second";
    /** KIP-890: partition leaders verify a transactional producer's first write with the transaction coordinator. */
    public static final String TRANSACTION_PARTITION_VERIFICATION_ENABLE = "transaction.partition.verification.enable";
    /** KIP-890 part 2: pause (ms) before a produce retries the coordinator's CONCURRENT_TRANSACTIONS. */
    public static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS = "add.partitions.to.txn.retry.backoff.ms";
    /** KIP-890 part 2: how long (ms) a produce keeps retrying CONCURRENT_TRANSACTIONS. */
    public static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS = "add.partitions.to.txn.retry.backoff.max.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = "producer.id.expiration.check.interval.ms";
    /** Client quotas (KIP-13, KIP-124): samples and sample length of the byte-rate and request-time sensors. */
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";
    /** KIP-599: samples and sample length of the controller mutation token bucket (burst = num * size * rate). */
    public static final String CONTROLLER_QUOTA_WINDOW_NUM = "controller.quota.window.num";
    public static final String CONTROLLER_QUOTA_WINDOW_SIZE_SECONDS = "controller.quota.window.size.seconds";

    /** Samsa's default listener: the local machine only, Kafka's port. */
    public static final String DEFAULT_LISTENERS = "PLAINTEXT://localhost:9092";
    /** Samsa's default data folder, relative to the working directory (Kafka: {@code /tmp/kafka-logs}). */
    public static final String DEFAULT_LOG_DIR = "./samsa-data";
    /** The metadata (Ratis) folder inside the first log dir when {@code metadata.log.dir} is not set. */
    public static final String METADATA_DIR_NAME = "__samsa_metadata";

    /** Every broker key Samsa knows, used or accepted. */
    public static final ConfigDef DEF = AuthorizerConfigDefs.defineInto(SaslConfigDefs.defineInto(SslConfigDefs.defineInto(
            ClusterConfigDefs.defineInto(AcceptedBrokerConfigDefs.defineInto(new ConfigDef()
            .define(NODE_ID, INT, 1, atLeast(0), HIGH,
                    "The id of this node, broker and controller alike (Samsa default 1; Kafka requires it).")
            .define(BROKER_ID, INT, -1, null, HIGH,
                    "Legacy name of node.id; when set it must equal node.id.")
            .define(LISTENERS, LIST, List.of(DEFAULT_LISTENERS), Validators.nonEmptyList(), HIGH,
                    "Comma-separated NAME://host:port URIs to listen on; empty host: all interfaces.")
            .define(ADVERTISED_LISTENERS, LIST, null, null, HIGH,
                    "Listener addresses given to clients; default: the listeners, empty host as localhost.")
            .define(LISTENER_SECURITY_PROTOCOL_MAP, STRING,
                    "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT", null, LOW,
                    "Map of listener names to security protocols, NAME:PROTOCOL,...")
            .define(CONTROLLER_LISTENER_NAMES, LIST, List.of(), null, HIGH,
                    "Names of the listeners used by the controller quorum; Samsa does not serve clients on them.")
            .define(CONTROLLER_QUORUM_VOTERS, LIST, List.of(), null, HIGH,
                    "The quorum voters, id@host:port,...; default: this node alone.")
            .define(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, LIST, List.of(), null, HIGH,
                    "Quorum endpoints host:port,...; one entry without voters means this node alone at it.")
            .define(LOG_DIR, LIST, List.of(DEFAULT_LOG_DIR), Validators.nonEmptyList(), HIGH,
                    "Directories of the log data, when log.dirs is not set.")
            .define(LOG_DIRS, LIST, null, Validators.nonEmptyList(), HIGH,
                    "Comma-separated directories of the log data; default: log.dir.")
            .define(METADATA_LOG_DIR, STRING, null, null, HIGH,
                    "Directory of the metadata log; default: " + METADATA_DIR_NAME + " in the first log dir (a voter), the "
                            + "first log dir (a broker-only node).")
            .define(NUM_PARTITIONS, INT, 1, atLeast(1), MEDIUM,
                    "Default number of partitions of a new topic.")
            .define(DEFAULT_REPLICATION_FACTOR, INT, 1, between(1, Short.MAX_VALUE), MEDIUM,
                    "Default replication factor of a new topic.")
            .define(AUTO_CREATE_TOPICS_ENABLE, BOOLEAN, true, null, HIGH,
                    "Create a topic when a client asks for metadata of an unknown one.")
            .define(SOCKET_REQUEST_MAX_BYTES, INT, 104_857_600, atLeast(1), HIGH,
                    "Maximum size of a request.")
            .define(HTTP_LISTENERS, LIST, List.of("http://localhost:9644"), null, MEDIUM,
                    "Samsa's HTTP listeners (Prometheus /metrics, /health/live, /health/ready, the web console): "
                            + "http://host:port URLs, port 0 for a free one; empty turns them off.")
            .define(NUM_NETWORK_THREADS, INT, 3, atLeast(1), HIGH,
                    "Threads receiving requests and sending responses.")
            .define(NUM_IO_THREADS, INT, 8, atLeast(1), HIGH,
                    "Threads processing requests, which may include disk I/O.")
            .define(LOG_FLUSH_SCHEDULER_INTERVAL_MS, LONG, Long.MAX_VALUE, null, HIGH,
                    "How often (ms) the flusher checks whether a log needs to be flushed.")
            .define(REPLICA_HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS, LONG, 5000L, atLeast(1), HIGH,
                    "How often (ms) the high watermarks (and recovery points, log start offsets) are checkpointed.")
            .define(LOG_SEGMENT_BYTES, INT, 1024 * 1024 * 1024, atLeast(TopicConfigDefs.MIN_SEGMENT_BYTES), HIGH,
                    "Maximum size of a single segment file.")
            .define(LOG_ROLL_MS, LONG, null, atLeast(1), HIGH,
                    "Maximum age (ms) of a segment before a roll; default: log.roll.hours.", LOG_ROLL_HOURS)
            .define(LOG_ROLL_HOURS, INT, 168, atLeast(1), HIGH,
                    "Maximum age (hours) of a segment before a roll, secondary to log.roll.ms.")
            .define(LOG_INDEX_SIZE_MAX_BYTES, INT, 10 * 1024 * 1024, atLeast(4), MEDIUM,
                    "Maximum size of the offset index.")
            .define(LOG_INDEX_INTERVAL_BYTES, INT, 4096, atLeast(0), MEDIUM,
                    "Bytes between offset index entries.")
            .define(MESSAGE_MAX_BYTES, INT, 1024 * 1024 + 12, atLeast(0), HIGH,
                    "Largest record batch accepted (after compression).")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, Long.MAX_VALUE, atLeast(1), HIGH,
                    "Messages accumulated on a partition before a flush.")
            .define(LOG_FLUSH_INTERVAL_MS, LONG, null, null, HIGH,
                    "Maximum time (ms) a message stays unflushed; default: log.flush.scheduler.interval.ms.",
                    LOG_FLUSH_SCHEDULER_INTERVAL_MS)
            .define(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, INT, 60_000, atLeast(0), HIGH,
                    "How often (ms) the recovery points (and the other log offsets) are checkpointed.")
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime", oneOf("CreateTime", "LogAppendTime"), MEDIUM,
                    "Whether record timestamps are create time or log append time.")
            .define(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                    "How far a CreateTime timestamp may lie before the broker's time (ms).")
            .define(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, 3_600_000L, atLeast(0), MEDIUM,
                    "How far a CreateTime timestamp may lie after the broker's time (ms).")
            .define(LOG_CLEANUP_POLICY, LIST, List.of("delete"), listOf("compact", "delete"), MEDIUM,
                    "Default retention policy of a topic: delete, compact or both.")
            .define(LOG_RETENTION_MS, LONG, null, null, HIGH,
                    "Time (ms) to keep a segment; -1: no limit; default: log.retention.minutes.",
                    LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS)
            .define(LOG_RETENTION_MINUTES, INT, null, null, HIGH,
                    "Time (minutes) to keep a segment, secondary to log.retention.ms.", LOG_RETENTION_HOURS)
            .define(LOG_RETENTION_HOURS, INT, 168, null, HIGH,
                    "Time (hours) to keep a segment, tertiary to log.retention.ms.")
            .define(LOG_RETENTION_BYTES, LONG, -1L, null, HIGH,
                    "Maximum size of a partition before old segments are deleted; -1: no limit.")
            .define(LOG_SEGMENT_DELETE_DELAY_MS, LONG, 60_000L, atLeast(0), HIGH,
                    "Time to wait before deleting a file from the filesystem.")
            .define(COMPRESSION_TYPE, STRING, "producer", oneOf(TopicConfigDefs.COMPRESSION_TYPES.toArray(String[]::new)),
                    HIGH, "Default final compression of a topic; 'producer' keeps the producer's codec.")
            .define(MIN_INSYNC_REPLICAS, INT, 1, atLeast(1), HIGH,
                    "Default minimum in-sync replicas for an acks=all write.")
            .define(LOG_RETENTION_CHECK_INTERVAL_MS, LONG, 300_000L, atLeast(1), MEDIUM,
                    "How often (ms) logs are checked for retention (retention.ms, retention.bytes, DeleteRecords).")
            .define(LOG_CLEANER_ENABLE, BOOLEAN, true, null, MEDIUM, "Run the log cleaner (compaction) threads.")
            .define(NUM_RECOVERY_THREADS_PER_DATA_DIR, INT, 2, atLeast(1), HIGH,
                    "Threads per data dir for log recovery at startup and flush at shutdown.")
            .define(LOG_CLEANER_THREADS, INT, 1, atLeast(0), MEDIUM, "Log cleaner threads.")
            .define(LOG_CLEANER_BACKOFF_MS, LONG, 15_000L, atLeast(0), MEDIUM,
                    "Sleep (ms) of a cleaner thread when no log needs cleaning.")
            .define(LOG_CLEANER_DEDUPE_BUFFER_SIZE, LONG, 134_217_728L, atLeast(24), MEDIUM,
                    "Memory (bytes) for the cleaners' key-to-offset maps, shared by the threads (24 bytes per key).")
            .define(LOG_CLEANER_IO_BUFFER_SIZE, INT, 524_288, atLeast(0), MEDIUM,
                    "Memory (bytes) for the cleaners' read and write buffers, shared by the threads.")
            .define(LOG_CLEANER_IO_MAX_BYTES_PER_SECOND, DOUBLE, Double.MAX_VALUE, atLeast(1), MEDIUM,
                    "Cleaner I/O throttle: bytes per second read plus written by all cleaner threads (default: none).")
            // KIP-848 consumer groups (io.samsa.coordinator.group.consumer.ConsumerGroupSettings)
            .define("group.consumer.session.timeout.ms", INT, 45_000, atLeast(1), MEDIUM,
                    "A consumer-protocol member that does not heartbeat for this long (ms) leaves its group.")
            .define("group.consumer.min.session.timeout.ms", INT, 45_000, atLeast(1), MEDIUM,
                    "Minimum consumer-protocol session timeout (ms).")
            .define("group.consumer.max.session.timeout.ms", INT, 60_000, atLeast(1), MEDIUM,
                    "Maximum consumer-protocol session timeout (ms).")
            .define("group.consumer.heartbeat.interval.ms", INT, 5000, atLeast(1), MEDIUM,
                    "Heartbeat interval (ms) given to consumer-protocol members.")
            .define("group.consumer.max.size", INT, Integer.MAX_VALUE, atLeast(1), MEDIUM,
                    "Maximum members of a consumer-protocol group; more joins fail with GROUP_MAX_SIZE_REACHED.")
            .define("group.consumer.assignors", LIST, List.of("uniform", "range"), null, MEDIUM,
                    "Server-side assignors of consumer-protocol groups (uniform, range, or Kafka's class names of the two); the first is the default.")
            // transactions (KIP-890 part 1)
            .define(TRANSACTION_PARTITION_VERIFICATION_ENABLE, BOOLEAN, true, null, LOW,
                    "Verify with the transaction coordinator that a partition is in the producer's transaction "
                            + "before appending its first transactional batch (Transactions V2 adds happen anyway).")
            .define(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS, INT, 20, atLeast(1), LOW,
                    "The server-side retry backoff (ms) when the server attempts to add a partition to a transaction.")
            .define(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS, INT, 100, atLeast(0), LOW,
                    "How long (ms) the server retries adding a partition to a transaction.")
            .define(PRODUCER_ID_EXPIRATION_MS, INT, 86_400_000, atLeast(1), LOW,
                    "How long (ms) a partition keeps the state of a producer without an open transaction after its "
                            + "last write.")
            .define(PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS, INT, 600_000, atLeast(1), LOW,
                    "How often (ms) expired producer ids are removed.")
            .define(QUOTA_WINDOW_NUM, INT, 11, atLeast(1), LOW,
                    "The number of samples to retain in memory for client quotas.")
            .define(QUOTA_WINDOW_SIZE_SECONDS, INT, 1, atLeast(1), LOW,
                    "The time span of each sample for client quotas.")
            .define(CONTROLLER_QUOTA_WINDOW_NUM, INT, 11, atLeast(1), LOW,
                    "The number of samples to retain in memory for alter topics and partitions mutation quotas.")
            .define(CONTROLLER_QUOTA_WINDOW_SIZE_SECONDS, INT, 1, atLeast(1), LOW,
                    "The time span of each sample for alter topics and partitions mutation quotas."))))));

    private BrokerConfigDefs() {
    }
}
