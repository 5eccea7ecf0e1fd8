package io.samsa.coordinator.group.record;

import io.samsa.coordinator.runtime.RecordSerde;
import java.nio.ByteBuffer;

/** The records of {@code __consumer_offsets} for the coordinator runtime ({@link RecordCodec}). Stateless. */
public final class GroupRecordSerde implements RecordSerde<CoordinatorRecord> {
    public static final GroupRecordSerde INSTANCE = new GroupRecordSerde();

    private GroupRecordSerde() {
    }

    @Override
    public byte[] key(CoordinatorRecord record) {
        return RecordCodec.key(record);
    }

    @Override
    public byte[] value(CoordinatorRecord record) {
        return RecordCodec.value(record);
    }

    @Override
    public CoordinatorRecord decode(ByteBuffer key, ByteBuffer value) {
        return RecordCodec.decode(key, value);
    }
}
