package io.samsa.broker.config;

import io.samsa.coordinator.txn.TxnConfig;

/** The coordinators' settings (samsa-coordinator) read from the broker's configuration, with Kafka's keys. */
public final class CoordinatorConfigs {
    private CoordinatorConfigs() {
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
