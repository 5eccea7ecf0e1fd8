package io.samsa.broker.config;

import static io.samsa.broker.config.ConfigKey.Importance.HIGH;
import static io.samsa.broker.config.ConfigKey.Importance.LOW;
import static io.samsa.broker.config.ConfigKey.Importance.MEDIUM;
import static io.samsa.broker.config.ConfigType.BOOLEAN;
import static io.samsa.broker.config.ConfigType.DOUBLE;
import static io.samsa.broker.config.ConfigType.INT;
import static io.samsa.broker.config.ConfigType.LIST;
import static io.samsa.broker.config.ConfigType.LONG;
import static io.samsa.broker.config.ConfigType.SHORT;
import static io.samsa.broker.config.ConfigType.STRING;
import static io.samsa.broker.config.Validators.atLeast;
import static io.samsa.broker.config.Validators.between;
import static io.samsa.broker.config.Validators.listOf;

import java.util.List;

/**
 * Common Apache Kafka 4.3 broker keys that Samsa accepts with Kafka's names, types, defaults and ranges but does not
 * act on yet, so that a stock Kafka {@code server.properties} (and most hand-written ones) load without warnings. An
 * explicit value of one of them is validated and logged once at INFO. When a feature starts using a key, move its
 * definition to {@link BrokerConfigDefs} (from {@code accept} to {@code define}).
 *
 * <p>{@code zookeeper.*} keys are Kafka 3 ZooKeeper-mode leftovers: accepted and ignored.
 */
final class AcceptedBrokerConfigDefs {
    private AcceptedBrokerConfigDefs() {
    }

    static ConfigDef defineInto(ConfigDef def) {
        return def
                // roles, listeners, quorum
                .accept("controller.quorum.election.timeout.ms", INT, 1000, atLeast(0), HIGH, "Quorum election timeout.")
                .accept("controller.quorum.fetch.timeout.ms", INT, 2000, atLeast(0), HIGH, "Quorum fetch timeout.")
                .accept("controller.quorum.request.timeout.ms", INT, 2000, atLeast(0), MEDIUM, "Quorum request timeout.")
                .accept("metadata.log.segment.bytes", INT, 1024 * 1024 * 1024, atLeast(8 * 1024 * 1024), HIGH,
                        "Maximum size of a metadata log file.")
                .accept("metadata.log.segment.ms", LONG, 604_800_000L, null, HIGH, "Metadata log roll time (ms).")
                .accept("metadata.max.retention.bytes", LONG, 104_857_600L, null, HIGH, "Metadata log size limit.")
                .accept("metadata.max.retention.ms", LONG, 604_800_000L, null, HIGH, "Metadata log time limit (ms).")
                // network
                .accept("socket.send.buffer.bytes", INT, 102_400, null, HIGH, "SO_SNDBUF of server sockets; -1: OS.")
                .accept("socket.receive.buffer.bytes", INT, 102_400, null, HIGH, "SO_RCVBUF of server sockets; -1: OS.")
                .accept("socket.listen.backlog.size", INT, 50, atLeast(1), MEDIUM, "Pending connections backlog.")
                .accept("queued.max.requests", INT, 500, atLeast(1), HIGH, "Queued requests before blocking reads.")
                .accept("max.connections", INT, Integer.MAX_VALUE, atLeast(0), MEDIUM, "Maximum connections.")
                .accept("max.connections.per.ip", INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                        "Maximum connections from one address.")
                .accept("background.threads", INT, 10, atLeast(1), HIGH, "Threads for background tasks.")
                .accept("fetch.max.bytes", INT, 57_671_680, atLeast(1024), MEDIUM, "Maximum bytes of a fetch response.")
                // log
                .accept("log.roll.jitter.ms", LONG, null, null, HIGH, "Maximum segment roll jitter (ms).")
                .accept("log.roll.jitter.hours", INT, 0, atLeast(0), HIGH, "Maximum segment roll jitter (hours).")
                .accept("log.preallocate", BOOLEAN, false, null, MEDIUM, "Preallocate new segment files.")
                .accept("log.flush.start.offset.checkpoint.interval.ms", INT, 60_000, atLeast(0), HIGH,
                        "How often (ms) the log start offset is checkpointed.")
                .accept("log.local.retention.ms", LONG, -2L, atLeast(-2), MEDIUM, "Tiered storage local retention.")
                .accept("log.local.retention.bytes", LONG, -2L, atLeast(-2), MEDIUM, "Tiered storage local size.")
                .accept("log.cleaner.io.buffer.load.factor", DOUBLE, 0.9, null, MEDIUM, "Dedupe buffer load factor.")
                .accept("log.cleaner.min.cleanable.ratio", DOUBLE, 0.5, between(0, 1), MEDIUM,
                        "Minimum dirty ratio for a log to be cleaned.")
                .accept("log.cleaner.delete.retention.ms", LONG, 86_400_000L, atLeast(0), MEDIUM,
                        "How long tombstones are kept in compacted topics.")
                .accept("log.cleaner.min.compaction.lag.ms", LONG, 0L, atLeast(0), MEDIUM,
                        "Minimum time a message remains uncompacted.")
                .accept("log.cleaner.max.compaction.lag.ms", LONG, Long.MAX_VALUE, atLeast(1), MEDIUM,
                        "Maximum time a message remains ineligible for compaction.")
                .accept("compression.gzip.level", INT, -1, TopicConfigDefs.GZIP_LEVEL, MEDIUM, "gzip level.")
                .accept("compression.lz4.level", INT, 9, between(1, 17), MEDIUM, "lz4 level.")
                .accept("compression.zstd.level", INT, 3, between(-131072, 22), MEDIUM, "zstd level.")
                // topics and replication
                .accept("delete.topic.enable", BOOLEAN, true, null, HIGH, "Allow topic deletion.")
                .accept("auto.leader.rebalance.enable", BOOLEAN, true, null, HIGH, "Rebalance leaders automatically.")
                .accept("leader.imbalance.check.interval.seconds", LONG, 300L, atLeast(1), HIGH,
                        "How often leader balance is checked (s).")
                .accept("replica.socket.receive.buffer.bytes", INT, 65_536, null, HIGH, "Follower SO_RCVBUF.")
                // group coordinator
                .define("offsets.topic.replication.factor", SHORT, (short) 3, atLeast(1), HIGH,
                        "Replication factor of __consumer_offsets.")
                .define("offsets.topic.num.partitions", INT, 50, atLeast(1), HIGH, "Partitions of __consumer_offsets.")
                .define("offsets.topic.segment.bytes", INT, 104_857_600, atLeast(1), HIGH,
                        "Segment size of __consumer_offsets.")
                .accept("offsets.topic.compression.codec", INT, 0, null, HIGH, "Compression of __consumer_offsets.")
                .define("offsets.retention.minutes", INT, 10_080, atLeast(1), HIGH, "Committed offset retention.")
                .define("offsets.retention.check.interval.ms", LONG, 600_000L, atLeast(1), HIGH,
                        "How often (ms) stale offsets are removed.")
                .accept("offsets.commit.timeout.ms", INT, 5000, atLeast(1), HIGH, "Offset commit replication wait.")
                .accept("offsets.load.buffer.size", INT, 5_242_880, atLeast(1), HIGH, "Offsets load batch size.")
                .define("offset.metadata.max.bytes", INT, 4096, null, HIGH, "Maximum offset commit metadata size.")
                .define("group.initial.rebalance.delay.ms", INT, 3000, null, MEDIUM,
                        "Wait for more members before the first rebalance of a classic group.")
                .define("group.min.session.timeout.ms", INT, 6000, null, MEDIUM, "Minimum classic session timeout.")
                .define("group.max.session.timeout.ms", INT, 1_800_000, null, MEDIUM, "Maximum classic session timeout.")
                .define("group.max.size", INT, Integer.MAX_VALUE, atLeast(1), MEDIUM, "Maximum classic group size.")
                .accept("group.coordinator.rebalance.protocols", LIST, List.of("classic", "consumer", "streams"),
                        listOf("consumer", "classic", "share", "streams"), MEDIUM, "Enabled rebalance protocols.")
                .define("group.coordinator.threads", INT, 4, atLeast(1), HIGH, "Group coordinator threads.")
                // transaction and share coordinators
                .define("transaction.state.log.replication.factor", SHORT, (short) 3, atLeast(1), HIGH,
                        "Replication factor of __transaction_state (1 on a zero-config single node, ADR 0003).")
                .define("transaction.state.log.min.isr", INT, 2, atLeast(1), HIGH,
                        "min.insync.replicas of __transaction_state (capped at its replication factor on a "
                                + "zero-config single node).")
                .define("transaction.state.log.num.partitions", INT, 50, atLeast(1), HIGH,
                        "Partitions of __transaction_state.")
                .define("transaction.state.log.segment.bytes", INT, 104_857_600, atLeast(1), HIGH,
                        "Segment size of __transaction_state.")
                .define("transaction.max.timeout.ms", INT, 900_000, atLeast(1), HIGH,
                        "Maximum transaction.timeout.ms a producer may ask for (else INVALID_TRANSACTION_TIMEOUT).")
                .define("transactional.id.expiration.ms", INT, 604_800_000, atLeast(1), HIGH,
                        "Idle time before a transactional id without an open transaction expires.")
                .define("transaction.abort.timed.out.transaction.cleanup.interval.ms", INT, 10_000, atLeast(1), LOW,
                        "How often (ms) transactions open past their timeout are aborted.")
                .define("transaction.remove.expired.transaction.cleanup.interval.ms", INT, 3_600_000, atLeast(1), LOW,
                        "How often (ms) expired transactional ids are removed.")
                .accept("share.coordinator.state.topic.replication.factor", SHORT, (short) 3, atLeast(1), HIGH,
                        "Replication factor of __share_group_state.")
                .accept("share.coordinator.state.topic.min.isr", SHORT, (short) 2, atLeast(1), HIGH,
                        "min.insync of __share_group_state.")
                .accept("share.coordinator.state.topic.num.partitions", INT, 50, atLeast(1), HIGH,
                        "Partitions of __share_group_state.")
                // replication throttles (kafka-reassign-partitions --throttle): dynamic, not enforced (ADR 0013)
                .accept("leader.replication.throttled.rate", LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                        "Bytes/s a leader may send to throttled followers (not enforced by Samsa).")
                .accept("follower.replication.throttled.rate", LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                        "Bytes/s a throttled follower may fetch (not enforced by Samsa).")
                .accept("replica.alter.log.dirs.io.max.bytes.per.second", LONG, Long.MAX_VALUE, atLeast(0), MEDIUM,
                        "Bytes/s for moves between log dirs (not enforced by Samsa).")
                // Kafka 3 ZooKeeper mode
                .accept("zookeeper.connect", STRING, null, null, HIGH, "ZooKeeper mode (Kafka 3): ignored.")
                .accept("zookeeper.connection.timeout.ms", INT, null, null, HIGH, "ZooKeeper mode (Kafka 3): ignored.")
                .accept("zookeeper.session.timeout.ms", INT, 18_000, null, HIGH, "ZooKeeper mode (Kafka 3): ignored.");
    }
}
