package io.samsa.broker.txn;

import io.samsa.broker.replica.ReplicaManager;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * {@link TxnLogWriter} on {@link ReplicaManager#appendAsLeader} with {@code acks=all}: one uncompressed magic-2
 * batch of one keyed record, no producer id, create-time timestamp, written with {@code TransactionLogValue}
 * v{@link TxnConfig#valueVersion()}. Blocks the shard until the ISR has it (at most the request timeout), as
 * Kafka's coordinator answers only then. Thread-safe.
 */
public final class TransactionLogWriter implements TxnLogWriter {
    private static final short ALL_ACKS = -1;
    private final ReplicaManager replicas;
    private final TxnConfig config;

    public TransactionLogWriter(ReplicaManager replicas, TxnConfig config) {
        this.replicas = replicas;
        this.config = config;
    }

    @Override
    public void write(int partition, String transactionalId, TxnTransit value) {
        try {
            replicas.appendAsLeader(new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, partition),
                    build(transactionalId, value, config.valueVersion(), System.currentTimeMillis()), ALL_ACKS,
                    config.requestTimeoutMs()).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** The batch holding one record of {@code transactionalId} ({@code value} null: a tombstone). */
    public static MemoryRecords build(String transactionalId, TxnTransit value, short valueVersion, long timestampMs) {
        byte[] key = TransactionLogCodec.key(transactionalId);
        byte[] v = value == null ? null : TransactionLogCodec.value(value, valueVersion);
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(96 + key.length + (v == null ? 0 : v.length)), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        builder.append(timestampMs, key, v);
        return builder.build();
    }
}
