package io.samsa.broker.txnverify;

/**
 * What a partition leader asks of the transaction coordinator before the first transactional write of a producer to a
 * partition (KIP-890), chosen from the version of the request that writes (Kafka's
 * {@code AddPartitionsToTxnManager.TransactionSupportedOperation}).
 *
 * <ul>
 *   <li>{@link #DEFAULT_ERROR}: verify only; a TRANSACTION_ABORTABLE answer is reported as INVALID_TXN_STATE, which
 *       older clients understand (Produce v0-10, TxnOffsetCommit v0-3);</li>
 *   <li>{@link #GENERIC_ERROR}: verify only; errors as the coordinator sent them (Produce v11, TxnOffsetCommit v4);
 *       </li>
 *   <li>{@link #ADD_PARTITION}: Transactions V2 (KIP-890 part 2): the coordinator adds the partition to the
 *       transaction itself ({@code VerifyOnly=false}), the client sends no AddPartitionsToTxn (Produce v12+,
 *       TxnOffsetCommit v5+).</li>
 * </ul>
 */
public enum TransactionOperation {
    DEFAULT_ERROR, GENERIC_ERROR, ADD_PARTITION;

    /** The operation of a Produce request of version {@code version}. */
    public static TransactionOperation forProduce(short version) {
        return version > 11 ? ADD_PARTITION : version > 10 ? GENERIC_ERROR : DEFAULT_ERROR;
    }

    /** The operation of a TxnOffsetCommit request of version {@code version}. */
    public static TransactionOperation forTxnOffsetCommit(short version) {
        return version > 4 ? ADD_PARTITION : version > 3 ? GENERIC_ERROR : DEFAULT_ERROR;
    }

    /** The {@code VerifyOnly} field of the AddPartitionsToTxn v4+ entry. */
    public boolean verifyOnly() {
        return this != ADD_PARTITION;
    }

    /**
     * True for Transactions V2 (the coordinator bumps the epoch per transaction and adds partitions itself): the add
     * happens even with {@code transaction.partition.verification.enable=false}, and a produce retries
     * CONCURRENT_TRANSACTIONS on the broker and passes it on to the client, as Kafka 4.3 does.
     */
    public boolean supportsEpochBump() {
        return this == ADD_PARTITION;
    }
}
