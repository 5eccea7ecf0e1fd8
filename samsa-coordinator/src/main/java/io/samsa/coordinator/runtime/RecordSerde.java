package io.samsa.coordinator.runtime;

import java.nio.ByteBuffer;

/**
 * Encodes a coordinator's records into the key and value bytes of its internal topic and decodes them back (Kafka's
 * {@code CoordinatorRecordSerde}). Stateless and thread-safe.
 *
 * @param <R> the record type
 */
public interface RecordSerde<R> {

    /** The record key's bytes. */
    byte[] key(R record);

    /** The record value's bytes, or null for a tombstone. */
    byte[] value(R record);

    /**
     * The record of {@code key} and {@code value} (null: a tombstone), or null when the key is of a type this
     * coordinator skips (a newer version it ignores).
     *
     * @throws RuntimeException when the bytes do not decode (the loader logs and skips the record)
     */
    R decode(ByteBuffer key, ByteBuffer value);
}
