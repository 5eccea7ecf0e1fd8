package io.samsa.coordinator.group.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link CoordinatorRecord}s to and from the key and value bytes of {@code __consumer_offsets}
 * records, in Samsa's versioned format (ADR 0004). All integers are big-endian; a string is an int16 byte length
 * (-1: null) and UTF-8 bytes; a byte array is an int32 length (-1: null) and the bytes.
 *
 * <pre>
 * key   = int16 type tag, string group, type fields   (OFFSET_COMMIT: string topic, int32 partition)
 * value = int16 version, fields of that version        (absent: tombstone)
 * </pre>
 *
 * Decoders read the fields they know and ignore trailing bytes, so a later version may append fields. Stateless and
 * thread-safe.
 */
public final class RecordCodec {
    /** The value version this code writes. */
    public static final short VALUE_VERSION = 0;

    private RecordCodec() {
    }

    /** The key bytes of {@code record}. */
    public static byte[] key(CoordinatorRecord record) {
        return switch (record) {
            case OffsetCommitRecord r -> new Writer().i16(r.type().tag()).str(r.groupId()).str(r.topic())
                    .i32(r.partition()).bytes();
            case GroupMetadataRecord r -> new Writer().i16(r.type().tag()).str(r.groupId()).bytes();
            case CoordinatorRecord.Raw r -> r.key();
        };
    }

    /** The value bytes of {@code record}, or null for a tombstone. */
    public static byte[] value(CoordinatorRecord record) {
        return switch (record) {
            case OffsetCommitRecord r -> r.value() == null ? null : new Writer().i16(VALUE_VERSION)
                    .i64(r.value().offset()).i32(r.value().leaderEpoch()).str(r.value().metadata())
                    .i64(r.value().commitTimestampMs()).i64(r.value().expireTimestampMs()).bytes();
            case GroupMetadataRecord r -> r.value() == null ? null : groupValue(r.value());
            case CoordinatorRecord.Raw r -> r.value();
        };
    }

    private static byte[] groupValue(GroupMetadataRecord.Value v) {
        Writer w = new Writer().i16(VALUE_VERSION).str(v.protocolType()).i32(v.generation()).str(v.protocolName())
                .str(v.leader()).i64(v.currentStateTimeMs()).i32(v.members().size());
        for (GroupMetadataRecord.Member m : v.members()) {
            w.str(m.memberId()).str(m.groupInstanceId()).str(m.clientId()).str(m.clientHost())
                    .i32(m.rebalanceTimeoutMs()).i32(m.sessionTimeoutMs()).arr(m.subscription()).arr(m.assignment());
        }
        return w.bytes();
    }

    /**
     * Decodes one record.
     *
     * @param key   the record key (required)
     * @param value the record value, null for a tombstone
     * @return the record, or null when the key's type tag is unknown (a record written by a newer version)
     * @throws IllegalArgumentException when the bytes are malformed
     */
    public static CoordinatorRecord decode(ByteBuffer key, ByteBuffer value) {
        try {
            Reader k = new Reader(key.duplicate());
            RecordType type = RecordType.fromTag(k.i16());
            if (type == null) {
                return null;
            }
            String group = k.str();
            return switch (type) {
                case OFFSET_COMMIT -> new OffsetCommitRecord(group, k.str(), k.i32(),
                        value == null ? null : offsetValue(new Reader(value.duplicate())));
                case GROUP_METADATA -> new GroupMetadataRecord(group,
                        value == null ? null : groupValue(new Reader(value.duplicate())));
                default -> new CoordinatorRecord.Raw(type, group, toArray(key), value == null ? null : toArray(value));
            };
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("Malformed __consumer_offsets record", e);
        }
    }

    private static OffsetCommitRecord.Value offsetValue(Reader r) {
        r.i16(); // version: v0 fields are a prefix of every later version
        return new OffsetCommitRecord.Value(r.i64(), r.i32(), r.str(), r.i64(), r.i64());
    }

    private static GroupMetadataRecord.Value groupValue(Reader r) {
        r.i16();
        String protocolType = r.str();
        int generation = r.i32();
        String protocolName = r.str();
        String leader = r.str();
        long stateTime = r.i64();
        int n = r.i32();
        List<GroupMetadataRecord.Member> members = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            members.add(new GroupMetadataRecord.Member(r.str(), r.str(), r.str(), r.str(), r.i32(), r.i32(),
                    r.arr(), r.arr()));
        }
        return new GroupMetadataRecord.Value(protocolType, generation, protocolName, leader, stateTime, members);
    }

    /** Encodes the common key prefix (type tag and group) that {@link CoordinatorRecord.Raw} keys must start with. */
    public static ByteBuffer rawKeyPrefix(RecordType type, String groupId, int extraCapacity) {
        byte[] g = groupId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + g.length + extraCapacity);
        b.putShort(type.tag()).putShort((short) g.length).put(g);
        return b;
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(64);

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer i16(short v) {
            ensure(2);
            buf.putShort(v);
            return this;
        }

        Writer i32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer i64(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Writer str(String s) {
            if (s == null) {
                return i16((short) -1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("String too long for __consumer_offsets: " + b.length + " bytes");
            }
            i16((short) b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer arr(byte[] b) {
            if (b == null) {
                return i32(-1);
            }
            i32(b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }

    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf;
        }

        short i16() {
            return buf.getShort();
        }

        int i32() {
            return buf.getInt();
        }

        long i64() {
            return buf.getLong();
        }

        String str() {
            short n = buf.getShort();
            if (n < 0) {
                return null;
            }
            byte[] b = new byte[n];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        byte[] arr() {
            int n = buf.getInt();
            if (n < 0) {
                return null;
            }
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }
    }
}
