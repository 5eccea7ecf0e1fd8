package io.samsa.coordinator.group.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of {@code __consumer_offsets}: a key and a value, or a tombstone (null value) that deletes the key once
 * the log is compacted. Encoded by {@link RecordCodec} in Samsa's format (ADR 0004).
 *
 * <p>Immutable values; safe to share between threads.
 */
public sealed interface CoordinatorRecord permits OffsetCommitRecord, GroupMetadataRecord, CoordinatorRecord.Raw {

    /** The type tag at the start of the key. */
    RecordType type();

    /** The group the record belongs to (every record type is keyed by group first). */
    String groupId();

    /** True when this record deletes its key. */
    boolean isTombstone();

    /**
     * A record whose key and value bytes are encoded elsewhere: the KIP-848 consumer-group records (types
     * {@code 0x5310..0x531F}) and types unknown to this version. The key bytes start with the int16 type tag followed
     * by the group id as an int16-length UTF-8 string; the rest is the owner's.
     *
     * @param key   the whole key, tag included
     * @param value the whole value (an int16 version first), or null for a tombstone
     */
    record Raw(RecordType type, String groupId, byte[] key, byte[] value) implements CoordinatorRecord {
        public Raw {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(groupId, "groupId");
        }

        @Override
        public boolean isTombstone() {
            return value == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && type == r.type && groupId.equals(r.groupId) && Arrays.equals(key, r.key)
                    && Arrays.equals(value, r.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, groupId, Arrays.hashCode(key), Arrays.hashCode(value));
        }

        @Override
        public String toString() {
            return "Raw[" + type + ", group=" + groupId + ", key=" + key.length + "B, value="
                    + (value == null ? "null" : value.length + "B") + "]";
        }
    }
}
