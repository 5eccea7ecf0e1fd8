package io.samsa.coordinator.txn;

import io.samsa.coordinator.runtime.RecordSerde;
import java.nio.ByteBuffer;

/**
 * The records of {@code __transaction_state} for the coordinator runtime: {@link TransactionLogCodec} keys, values
 * written as {@code TransactionLogValue} v{@code valueVersion} ({@link TxnConfig#valueVersion()}). Thread-safe.
 */
public record TransactionLogSerde(short valueVersion) implements RecordSerde<TransactionLogCodec.Entry> {

    @Override
    public byte[] key(TransactionLogCodec.Entry record) {
        return TransactionLogCodec.key(record.transactionalId());
    }

    @Override
    public byte[] value(TransactionLogCodec.Entry record) {
        return record.value() == null ? null : TransactionLogCodec.value(record.value(), valueVersion);
    }

    @Override
    public TransactionLogCodec.Entry decode(ByteBuffer key, ByteBuffer value) {
        return TransactionLogCodec.decode(key, value);
    }
}
