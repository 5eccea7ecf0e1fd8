package io.samsa.coordinator.txn;

/**
 * The transaction coordinator's settings, with Kafka's broker keys and defaults (the broker reads them from its
 * configuration). Times in ms, sizes in bytes.
 *
 * @param topicPartitions          {@code transaction.state.log.num.partitions} (50)
 * @param topicReplication         {@code transaction.state.log.replication.factor} (3; 1 on a zero-config node)
 * @param topicMinIsr              {@code transaction.state.log.min.isr} (2; capped on a zero-config node)
 * @param topicSegmentBytes        {@code transaction.state.log.segment.bytes} (100 MiB)
 * @param maxTimeoutMs             {@code transaction.max.timeout.ms} (900000)
 * @param idExpirationMs           {@code transactional.id.expiration.ms} (7 days)
 * @param abortTimedOutIntervalMs  {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} (10000)
 * @param removeExpiredIntervalMs  {@code transaction.remove.expired.transaction.cleanup.interval.ms} (3600000)
 * @param requestTimeoutMs         how long a WriteTxnMarkers request and a log write may wait
 *                                 ({@code request.timeout.ms}, 30000)
 * @param transactionVersion       the finalized {@code transaction.version} (0-2): the TransactionLogValue version
 *                                 written (v1 from level 1)
 */
public record TxnConfig(int topicPartitions, short topicReplication, int topicMinIsr, int topicSegmentBytes,
                        int maxTimeoutMs, long idExpirationMs, long abortTimedOutIntervalMs,
                        long removeExpiredIntervalMs, int requestTimeoutMs, short transactionVersion) {

    /** Kafka's defaults on one node (replication 1, min ISR 1). */
    public static TxnConfig defaults() {
        return new TxnConfig(50, (short) 1, 1, 104_857_600, 900_000, 604_800_000L, 10_000, 3_600_000, 30_000,
                (short) 0);
    }

    /** The TransactionLogValue version written: 1 (flexible, KIP-915) from {@code transaction.version} 1. */
    public short valueVersion() {
        return transactionVersion >= 1 ? (short) 1 : (short) 0;
    }
}
