package io.samsa.coordinator.group.consumer;

import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.RecordCodec;
import io.samsa.coordinator.group.record.RecordType;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes {@link ConsumerGroupRecord}s as {@link CoordinatorRecord.Raw} records of the KIP-848 types reserved in
 * {@link RecordType} (ADR 0004 layout: big-endian; strings as int16 length, -1 for null, then UTF-8).
 *
 * <pre>
 * key     = int16 tag, string group [, string member]      (member for MEMBER_METADATA, TARGET_MEMBER, CURRENT)
 * value   = int16 version 0, then:
 *   GROUP_METADATA        int32 epoch, int64 metadata hash
 *   MEMBER_METADATA       string instance, string rack, string client id, string client host, int32 rebalance
 *                         timeout ms, int32 n + n strings (topic names), string regex, string server assignor
 *   TARGET_MEMBER         assignment
 *   TARGET_METADATA       int32 assignment epoch
 *   CURRENT_ASSIGNMENT    int32 epoch, int32 previous epoch, int8 state, assignment assigned, assignment revoking
 * assignment = int32 n topics, each: int64 id msb, int64 id lsb, int32 n + n int32 partitions
 * </pre>
 *
 * Decoders ignore trailing bytes, so later versions may append fields. Stateless and thread-safe.
 */
public final class ConsumerGroupRecordCodec {
    private static final short VERSION = 0;

    private ConsumerGroupRecordCodec() {
    }

    /** The raw record to append for {@code record}. */
    public static CoordinatorRecord.Raw encode(ConsumerGroupRecord record) {
        return switch (record) {
            case ConsumerGroupRecord.GroupEpoch r -> raw(RecordType.CONSUMER_GROUP_METADATA, r.groupId(), null,
                    r.value() == null ? null : value(8 + 4).putInt(r.value().epoch()).putLong(r.value().metadataHash()));
            case ConsumerGroupRecord.MemberMetadata r -> raw(RecordType.CONSUMER_GROUP_MEMBER_METADATA, r.groupId(),
                    r.memberId(), r.value() == null ? null : memberValue(r.value()));
            case ConsumerGroupRecord.TargetAssignment r -> raw(RecordType.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER,
                    r.groupId(), r.memberId(), r.value() == null ? null : putAssignment(
                            value(assignmentSize(r.value())), r.value()));
            case ConsumerGroupRecord.TargetAssignmentEpoch r -> raw(
                    RecordType.CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA, r.groupId(), null,
                    r.value() == null ? null : value(4).putInt(r.value()));
            case ConsumerGroupRecord.CurrentAssignment r -> raw(RecordType.CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT,
                    r.groupId(), r.memberId(), r.value() == null ? null : currentValue(r.value()));
        };
    }

    /**
     * The typed record of a raw one.
     *
     * @return null for a reserved type this version does not write (skipped on load)
     * @throws IllegalArgumentException when the bytes are malformed
     */
    public static ConsumerGroupRecord decode(CoordinatorRecord.Raw raw) {
        try {
            ByteBuffer key = ByteBuffer.wrap(raw.key());
            key.getShort();
            String group = str(key);
            ByteBuffer v = raw.value() == null ? null : ByteBuffer.wrap(raw.value());
            if (v != null) {
                v.getShort();
            }
            return switch (raw.type()) {
                case CONSUMER_GROUP_METADATA -> new ConsumerGroupRecord.GroupEpoch(group,
                        v == null ? null : new ConsumerGroupRecord.GroupEpoch.Value(v.getInt(), v.getLong()));
                case CONSUMER_GROUP_MEMBER_METADATA -> new ConsumerGroupRecord.MemberMetadata(group, str(key),
                        v == null ? null : memberValue(v));
                case CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER -> new ConsumerGroupRecord.TargetAssignment(group,
                        str(key), v == null ? null : assignment(v));
                case CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA -> new ConsumerGroupRecord.TargetAssignmentEpoch(group,
                        v == null ? null : v.getInt());
                case CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT -> new ConsumerGroupRecord.CurrentAssignment(group,
                        str(key), v == null ? null : new ConsumerGroupRecord.CurrentAssignment.Value(v.getInt(),
                        v.getInt(), MemberState.fromCode(v.get()), assignment(v), assignment(v)));
                default -> null;
            };
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("Malformed consumer group record " + raw, e);
        }
    }

    private static CoordinatorRecord.Raw raw(RecordType type, String group, String member, ByteBuffer value) {
        byte[] m = member == null ? null : member.getBytes(StandardCharsets.UTF_8);
        ByteBuffer key = RecordCodec.rawKeyPrefix(type, group, m == null ? 0 : 2 + m.length);
        if (m != null) {
            key.putShort((short) m.length).put(m);
        }
        return new CoordinatorRecord.Raw(type, group, key.array(), value == null ? null : array(value));
    }

    private static ByteBuffer value(int size) {
        return ByteBuffer.allocate(2 + size).putShort(VERSION);
    }

    private static byte[] array(ByteBuffer b) {
        return b.position() == b.capacity() ? b.array() : java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static ByteBuffer memberValue(ConsumerGroupRecord.MemberMetadata.Value m) {
        int size = strSize(m.instanceId()) + strSize(m.rackId()) + strSize(m.clientId()) + strSize(m.clientHost())
                + 8 + strSize(m.regex()) + strSize(m.serverAssignor());
        for (String t : m.topicNames()) {
            size += strSize(t);
        }
        ByteBuffer b = value(size);
        putStr(b, m.instanceId());
        putStr(b, m.rackId());
        putStr(b, m.clientId());
        putStr(b, m.clientHost());
        b.putInt(m.rebalanceTimeoutMs()).putInt(m.topicNames().size());
        m.topicNames().forEach(t -> putStr(b, t));
        putStr(b, m.regex());
        putStr(b, m.serverAssignor());
        return b;
    }

    private static ConsumerGroupRecord.MemberMetadata.Value memberValue(ByteBuffer v) {
        String instance = str(v);
        String rack = str(v);
        String clientId = str(v);
        String clientHost = str(v);
        int rebalanceTimeoutMs = v.getInt();
        int n = v.getInt();
        List<String> topics = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            topics.add(str(v));
        }
        return new ConsumerGroupRecord.MemberMetadata.Value(instance, rack, clientId, clientHost, rebalanceTimeoutMs,
                topics, str(v), str(v));
    }

    private static ByteBuffer currentValue(ConsumerGroupRecord.CurrentAssignment.Value c) {
        ByteBuffer b = value(9 + assignmentSize(c.assigned()) + assignmentSize(c.pendingRevocation()))
                .putInt(c.memberEpoch()).putInt(c.previousMemberEpoch()).put(c.state().code());
        putAssignment(b, c.assigned());
        return putAssignment(b, c.pendingRevocation());
    }

    private static int assignmentSize(Assignment a) {
        return 4 + a.partitions().size() * 20 + 4 * a.size();
    }

    private static ByteBuffer putAssignment(ByteBuffer b, Assignment a) {
        b.putInt(a.partitions().size());
        a.partitions().forEach((topic, ps) -> {
            b.putLong(topic.getMostSignificantBits()).putLong(topic.getLeastSignificantBits()).putInt(ps.size());
            ps.forEach(b::putInt);
        });
        return b;
    }

    private static Assignment assignment(ByteBuffer v) {
        int topics = v.getInt();
        Map<UUID, Set<Integer>> m = new HashMap<>();
        for (int i = 0; i < topics; i++) {
            UUID id = new UUID(v.getLong(), v.getLong());
            int n = v.getInt();
            Set<Integer> ps = new java.util.HashSet<>();
            for (int j = 0; j < n; j++) {
                ps.add(v.getInt());
            }
            m.put(id, ps);
        }
        return new Assignment(m);
    }

    private static int strSize(String s) {
        return 2 + (s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void putStr(ByteBuffer b, String s) {
        if (s == null) {
            b.putShort((short) -1);
        } else {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) bytes.length).put(bytes);
        }
    }

    private static String str(ByteBuffer b) {
        short len = b.getShort();
        if (len < 0) {
            return null;
        }
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
