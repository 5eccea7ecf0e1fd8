package io.samsa.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.GroupRecordSerde;
import io.samsa.coordinator.group.record.OffsetCommitRecord;
import io.samsa.coordinator.runtime.CoordinatorLoader;
import io.samsa.coordinator.runtime.LogWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * Replay of a {@code __consumer_offsets} log holding transactional batches and their COMMIT/ABORT control batches, in
 * the bytes the coordinator writes ({@link LogWriter#build}) and Kafka's marker format.
 */
class OffsetsReplayTransactionsTest {
    static final TopicPartition OFFSETS = new TopicPartition(GroupCoordinator.TOPIC, 0);
    static final long NOW = 1_700_000_000_000L;
    final List<ByteBuffer> batches = new ArrayList<>();
    long nextOffset;

    static OffsetCommitRecord offset(String topic, long offset) {
        return new OffsetCommitRecord("g", topic, 0, new OffsetCommitRecord.Value(offset, -1, "", NOW, -1));
    }

    void add(MemoryRecords records) {
        for (MutableRecordBatch b : records.batches()) {
            int count = b.isControlBatch() ? 1 : (int) (b.lastOffset() - b.baseOffset() + 1);
            b.setLastOffset(nextOffset + count - 1);
            nextOffset += count;
        }
        batches.add(records.buffer());
    }

    void plain(CoordinatorRecord... records) {
        add(LogWriter.build(GroupRecordSerde.INSTANCE, List.of(records), NOW));
    }

    void transactional(long producerId, CoordinatorRecord... records) {
        add(LogWriter.build(GroupRecordSerde.INSTANCE, List.of(records), NOW, producerId, (short) 1));
    }

    void marker(long producerId, ControlRecordType type) {
        add(MemoryRecords.withEndTransactionMarker(0L, NOW, RecordBatch.NO_PARTITION_LEADER_EPOCH, producerId,
                (short) 1, new EndTransactionMarker(type, 5)));
    }

    GroupCoordinatorShard load() {
        ByteBuffer all = ByteBuffer.allocate(batches.stream().mapToInt(ByteBuffer::remaining).sum());
        batches.forEach(b -> all.put(b.duplicate()));
        all.flip();
        GroupCoordinatorShard fresh = new TestShards(GroupConfig.defaults(0)).shard;
        long[] next = {0};
        CoordinatorLoader.replay(MemoryRecords.readableRecords(all).batches(), 0, GroupRecordSerde.INSTANCE, fresh,
                OFFSETS, next);
        assertThat(next[0]).isEqualTo(nextOffset);
        return fresh;
    }

    static Map<TopicPartition, CommittedOffset> committed(GroupCoordinatorShard shard) {
        return shard.offsets().all("g");
    }

    @Test
    void transactionalOffsetsBecomeCommittedOnlyWithTheirCommitMarker() {
        plain(offset("a", 1));
        transactional(7, offset("a", 2), offset("b", 2));
        transactional(8, offset("c", 3));
        transactional(9, offset("d", 4));
        marker(7, ControlRecordType.COMMIT);
        marker(8, ControlRecordType.ABORT);

        GroupCoordinatorShard shard = load();

        assertThat(committed(shard)).containsOnlyKeys(new TopicPartition("a", 0), new TopicPartition("b", 0));
        assertThat(committed(shard).get(new TopicPartition("a", 0)).offset()).isEqualTo(2);
        // producer 9's transaction is still open: pending, not committed
        assertThat(shard.pendingTransactions().has("g", new TopicPartition("d", 0))).isTrue();
        assertThat(shard.pendingTransactions().producerIds()).containsExactly(9L);
        assertThat(shard.group("g")).isNotNull();
    }

    @Test
    void aPlainCommitLaterInTheLogWinsOverTheTransactionalOne() {
        transactional(7, offset("a", 10));
        plain(offset("a", 20));
        marker(7, ControlRecordType.COMMIT);

        assertThat(committed(load()).get(new TopicPartition("a", 0)).offset()).isEqualTo(20);
    }

    @Test
    void aTombstoneDeletesThePendingOffsetOfItsPartition() {
        transactional(7, offset("a", 10));
        plain(OffsetCommitRecord.tombstone("g", "a", 0));
        marker(7, ControlRecordType.COMMIT);

        assertThat(committed(load())).isEmpty();
    }
}
