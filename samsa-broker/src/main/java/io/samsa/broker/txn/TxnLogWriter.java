package io.samsa.broker.txn;

/**
 * Writes one transactional id's state to its {@code __transaction_state} partition as its leader, with
 * {@code acks=all}, returning once the in-sync replicas have it. Called on the shard's serial executor.
 */
@FunctionalInterface
public interface TxnLogWriter {

    /**
     * @param value the state, or null for a tombstone (expiration)
     * @throws org.apache.kafka.common.errors.ApiException the partition's error when the write was not acknowledged
     *         (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, KAFKA_STORAGE_ERROR, ...)
     */
    void write(int partition, String transactionalId, TxnTransit value);
}
