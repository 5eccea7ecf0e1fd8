package io.samsa.coordinator.txn;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One state of a transactional id as written to {@code __transaction_state} (Kafka's {@code TxnTransitMetadata},
 * the fields of {@code TransactionLogValue}). Immutable.
 *
 * @param producerId               the producer id in use
 * @param prevProducerId           the producer id before this transition (-1 for none)
 * @param nextProducerId           the producer id the producer moves to once the markers are written (TV2 epoch
 *                                 exhaustion), or -1
 * @param producerEpoch            the producer epoch
 * @param lastProducerEpoch        the epoch before the last bump, for retries of InitProducerId / EndTxn (not
 *                                 written to the log)
 * @param txnTimeoutMs             {@code transaction.timeout.ms} of the producer
 * @param state                    the state
 * @param partitions               the partitions of the open transaction
 * @param txnStartTimestamp        when the transaction started, ms since the epoch, or -1
 * @param txnLastUpdateTimestamp   when this state was reached, ms since the epoch
 * @param clientTransactionVersion the {@code transaction.version} the client uses (0-2)
 */
public record TxnTransit(long producerId, long prevProducerId, long nextProducerId, short producerEpoch,
                         short lastProducerEpoch, int txnTimeoutMs, TransactionState state,
                         Set<TopicPartition> partitions, long txnStartTimestamp, long txnLastUpdateTimestamp,
                         short clientTransactionVersion) {
    public TxnTransit {
        partitions = Set.copyOf(partitions);
    }
}
