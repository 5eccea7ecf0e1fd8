package io.samsa.broker.config;

import io.samsa.coordinator.group.GroupConfig;
import io.samsa.coordinator.group.consumer.ConsumerGroupSettings;
import io.samsa.coordinator.txn.TxnConfig;

/** The coordinators' settings (samsa-coordinator) read from the broker's configuration, with Kafka's keys. */
public final class CoordinatorConfigs {
    private CoordinatorConfigs() {
    }

    /** The group coordinator's settings. */
    public static GroupConfig group(BrokerConfig config) {
        ConfigValues v = config.values();
        return new GroupConfig(v.getInt("offsets.topic.num.partitions"), config.offsetsTopicReplicationFactor(),
                v.getInt("offsets.topic.segment.bytes"), v.getInt("offset.metadata.max.bytes"),
                v.getInt("offsets.retention.minutes") * 60_000L, v.getLong("offsets.retention.check.interval.ms"),
                v.getInt("group.initial.rebalance.delay.ms"), v.getInt("group.min.session.timeout.ms"),
                v.getInt("group.max.session.timeout.ms"), v.getInt("group.max.size"),
                v.getInt("group.coordinator.threads"));
    }

    /** The KIP-848 consumer groups' settings. */
    public static ConsumerGroupSettings consumerGroups(BrokerConfig config) {
        ConfigValues v = config.values();
        return new ConsumerGroupSettings(v.getInt("group.consumer.session.timeout.ms"),
                v.getInt("group.consumer.heartbeat.interval.ms"), v.getInt("group.consumer.max.size"),
                ConsumerGroupSettings.assignors(v.getList("group.consumer.assignors")));
    }

    /**
     * The transaction coordinator's settings.
     *
     * @param transactionVersion the finalized {@code transaction.version} (0-2)
     */
    public static TxnConfig txn(BrokerConfig config, short transactionVersion) {
        ConfigValues v = config.values();
        return new TxnConfig(v.getInt("transaction.state.log.num.partitions"),
                config.transactionStateLogReplicationFactor(), config.transactionStateLogMinIsr(),
                v.getInt("transaction.state.log.segment.bytes"), v.getInt("transaction.max.timeout.ms"),
                v.getInt("transactional.id.expiration.ms"),
                v.getInt("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
                v.getInt("transaction.remove.expired.transaction.cleanup.interval.ms"), 30_000, transactionVersion);
    }
}
