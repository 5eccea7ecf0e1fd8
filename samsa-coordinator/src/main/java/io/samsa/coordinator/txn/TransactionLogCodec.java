package io.samsa.coordinator.txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The records of {@code __transaction_state} in Kafka's format, so that {@code kafka-dump-log
 * --transaction-log-decoder} and a Kafka broker read them:
 *
 * <ul>
 *   <li>key: {@code int16 version (0)}, then {@code TransactionLogKey} v0: {@code string TransactionalId}
 *       (int16 length, UTF-8);</li>
 *   <li>value: {@code int16 version}, then {@code TransactionLogValue} v0 (classic) or v1 (flexible: compact
 *       strings and arrays, tagged fields {@code 0 PreviousProducerId}, {@code 1 NextProducerId},
 *       {@code 2 ClientTransactionVersion}): {@code int64 ProducerId, int16 ProducerEpoch,
 *       int32 TransactionTimeoutMs, int8 TransactionStatus, []{string Topic, []int32 PartitionIds}
 *       TransactionPartitions (null when Empty), int64 TransactionLastUpdateTimestampMs,
 *       int64 TransactionStartTimestampMs};</li>
 *   <li>a null value (tombstone) removes the id (expiration).</li>
 * </ul>
 *
 * Stateless, thread-safe.
 */
public final class TransactionLogCodec {
    /** The key version of transaction records; keys of other versions are skipped on load, as Kafka does. */
    public static final short KEY_VERSION = 0;

    private TransactionLogCodec() {
    }

    /** A decoded record: the id and its state, or null for a tombstone. */
    public record Entry(String transactionalId, TxnTransit value) {
    }

    public static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + id.length);
        b.putShort(KEY_VERSION).putShort((short) id.length).put(id);
        return b.array();
    }

    /** The value of {@code t} at {@code version} (0 or 1). */
    public static byte[] value(TxnTransit t, short version) {
        if (version != 0 && version != 1) {
            throw new IllegalArgumentException("TransactionLogValue v" + version);
        }
        boolean flexible = version >= 1;
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        if (t.state() != TransactionState.EMPTY) {
            for (TopicPartition tp : t.partitions()) {
                byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
            }
            byTopic.values().forEach(l -> l.sort(null));
        }
        int size = 2 + 8 + 2 + 4 + 1 + 5 + 8 + 8 + 40;
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            size += 5 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 5 + 4 * e.getValue().size() + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort(version).putLong(t.producerId()).putShort(t.producerEpoch()).putInt(t.txnTimeoutMs())
                .put(t.state().id());
        boolean nullPartitions = t.state() == TransactionState.EMPTY;
        if (flexible) {
            ByteUtils.writeUnsignedVarint(nullPartitions ? 0 : byTopic.size() + 1, b);
        } else {
            b.putInt(nullPartitions ? -1 : byTopic.size());
        }
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            byte[] topic = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (flexible) {
                ByteUtils.writeUnsignedVarint(topic.length + 1, b);
                b.put(topic);
                ByteUtils.writeUnsignedVarint(e.getValue().size() + 1, b);
            } else {
                b.putShort((short) topic.length).put(topic);
                b.putInt(e.getValue().size());
            }
            e.getValue().forEach(b::putInt);
            if (flexible) {
                ByteUtils.writeUnsignedVarint(0, b); // no tagged fields in PartitionsSchema
            }
        }
        b.putLong(t.txnLastUpdateTimestamp()).putLong(t.txnStartTimestamp());
        if (flexible) {
            int tags = (t.prevProducerId() != RecordBatch.NO_PRODUCER_ID ? 1 : 0)
                    + (t.nextProducerId() != RecordBatch.NO_PRODUCER_ID ? 1 : 0)
                    + (t.clientTransactionVersion() != 0 ? 1 : 0);
            ByteUtils.writeUnsignedVarint(tags, b);
            if (t.prevProducerId() != RecordBatch.NO_PRODUCER_ID) {
                ByteUtils.writeUnsignedVarint(0, b);
                ByteUtils.writeUnsignedVarint(8, b);
                b.putLong(t.prevProducerId());
            }
            if (t.nextProducerId() != RecordBatch.NO_PRODUCER_ID) {
                ByteUtils.writeUnsignedVarint(1, b);
                ByteUtils.writeUnsignedVarint(8, b);
                b.putLong(t.nextProducerId());
            }
            if (t.clientTransactionVersion() != 0) {
                ByteUtils.writeUnsignedVarint(2, b);
                ByteUtils.writeUnsignedVarint(2, b);
                b.putShort(t.clientTransactionVersion());
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /**
     * Decodes one record; null when the key is of another kind (version other than 0, as Kafka's loader skips).
     *
     * @throws IllegalArgumentException for a malformed record or an unknown value version
     */
    public static Entry decode(ByteBuffer key, ByteBuffer value) {
        ByteBuffer k = key.duplicate();
        short keyVersion = k.getShort();
        if (keyVersion != KEY_VERSION) {
            return null;
        }
        String id = readString(k, false);
        if (value == null) {
            return new Entry(id, null);
        }
        ByteBuffer v = value.duplicate();
        short version = v.getShort();
        if (version < 0 || version > 1) {
            throw new IllegalArgumentException("Unknown TransactionLogValue version " + version);
        }
        boolean flexible = version >= 1;
        long producerId = v.getLong();
        short epoch = v.getShort();
        int timeout = v.getInt();
        TransactionState state = TransactionState.fromId(v.get());
        int topics = flexible ? ByteUtils.readUnsignedVarint(v) - 1 : v.getInt();
        Set<TopicPartition> partitions = new HashSet<>();
        for (int i = 0; i < topics; i++) {
            String topic = readString(v, flexible);
            int n = flexible ? ByteUtils.readUnsignedVarint(v) - 1 : v.getInt();
            for (int j = 0; j < n; j++) {
                partitions.add(new TopicPartition(topic, v.getInt()));
            }
            if (flexible) {
                skipTaggedFields(v);
            }
        }
        long lastUpdate = v.getLong();
        long start = v.getLong();
        long prev = RecordBatch.NO_PRODUCER_ID;
        long next = RecordBatch.NO_PRODUCER_ID;
        short tv = 0;
        if (flexible) {
            int tags = ByteUtils.readUnsignedVarint(v);
            for (int i = 0; i < tags; i++) {
                int tag = ByteUtils.readUnsignedVarint(v);
                int size = ByteUtils.readUnsignedVarint(v);
                switch (tag) {
                    case 0 -> prev = v.getLong();
                    case 1 -> next = v.getLong();
                    case 2 -> tv = v.getShort();
                    default -> v.position(v.position() + size);
                }
            }
        }
        return new Entry(id, new TxnTransit(producerId, prev, next, epoch, RecordBatch.NO_PRODUCER_EPOCH, timeout,
                state, partitions, start, lastUpdate, tv));
    }

    private static String readString(ByteBuffer b, boolean compact) {
        int len = compact ? ByteUtils.readUnsignedVarint(b) - 1 : b.getShort();
        if (len < 0) {
            throw new IllegalArgumentException("Null string in the transaction log");
        }
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void skipTaggedFields(ByteBuffer b) {
        int tags = ByteUtils.readUnsignedVarint(b);
        for (int i = 0; i < tags; i++) {
            ByteUtils.readUnsignedVarint(b);
            int size = ByteUtils.readUnsignedVarint(b);
            b.position(b.position() + size);
        }
    }
}
