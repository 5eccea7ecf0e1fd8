package io.samsa.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.coordinator.group.OffsetManager.OffsetToCommit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.Test;

/** KIP-98 transactional offsets on one shard: pending until the marker, replayed the same way after a restart. */
class TransactionalOffsetsTest {
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final TopicPartition TP1 = new TopicPartition("t", 1);
    static final long PID = 4000;
    static final short EPOCH = 3;
    TestShards t = new TestShards(GroupConfig.defaults(0));
    OffsetManager offsets = new OffsetManager(t.shard);

    Map<TopicPartition, Errors> txnCommit(long producerId, TopicPartition tp, long offset) {
        return offsets.commitTransactional("g", "", null, -1, (short) 3, producerId, EPOCH,
                List.of(new OffsetToCommit(tp, offset, -1, "m" + offset, -1)));
    }

    void plainCommit(TopicPartition tp, long offset) {
        offsets.commit("g", "", null, -1, (short) 8, List.of(new OffsetToCommit(tp, offset, -1, "", -1)));
    }

    void end(long producerId, TransactionResult result) {
        t.shard.appendEndTransaction(producerId, EPOCH, 0, result, 5_000);
    }

    static Long committed(OffsetManager offsets, TopicPartition tp) {
        CommittedOffset o = offsets.fetch("g", null, -1, List.of(tp)).get(tp);
        return o == null ? null : o.offset();
    }

    @Test
    void transactionalOffsetsAreInvisibleUntilTheTransactionCommits() {
        // Given a transactional commit of a simple group
        assertThat(txnCommit(PID, TP, 10)).containsEntry(TP, Errors.NONE);

        // Then OffsetFetch does not see it, and RequireStable reports the partition unstable
        assertThat(committed(offsets, TP)).isNull();
        OffsetManager.Fetched stable = offsets.fetch("g", null, -1, List.of(TP), true);
        assertThat(stable.unstable()).containsExactly(TP);
        assertThat(stable.offsets()).isEmpty();
        assertThat(t.reloaded().shard.pendingTransactions().has("g", TP)).isTrue();

        // When the transaction commits
        end(PID, TransactionResult.COMMIT);

        // Then the offset is committed, stable, and survives a restart
        assertThat(committed(offsets, TP)).isEqualTo(10);
        assertThat(offsets.fetch("g", null, -1, List.of(TP), true).unstable()).isEmpty();
        assertThat(offsets.fetch("g", null, -1, List.of(TP), true).offsets().get(TP).metadata()).isEqualTo("m10");
        assertThat(committed(new OffsetManager(t.reloaded().shard), TP)).isEqualTo(10);
    }

    @Test
    void anAbortedTransactionLeavesTheCommittedOffsetAsItWas() {
        plainCommit(TP, 5);
        txnCommit(PID, TP, 10);
        assertThat(committed(offsets, TP)).isEqualTo(5);
        assertThat(offsets.fetch("g", null, -1, null, true).unstable()).containsExactly(TP);

        end(PID, TransactionResult.ABORT);

        assertThat(committed(offsets, TP)).isEqualTo(5);
        assertThat(offsets.fetch("g", null, -1, null, true).unstable()).isEmpty();
        TestShards restarted = t.reloaded();
        assertThat(committed(new OffsetManager(restarted.shard), TP)).isEqualTo(5);
        assertThat(restarted.shard.pendingTransactions().size()).isZero();
    }

    @Test
    void aPlainCommitWrittenAfterAPendingOneWinsWhenTheTransactionCommits() {
        // Kafka's rule: whichever of the two was written to the log last is the committed offset
        txnCommit(PID, TP, 10);
        plainCommit(TP, 20);
        txnCommit(PID, TP1, 7);
        plainCommit(TP1, 3);
        txnCommit(PID, TP1, 8); // the transaction's later commit of TP1 comes after the plain one

        end(PID, TransactionResult.COMMIT);

        assertThat(committed(offsets, TP)).isEqualTo(20);
        assertThat(committed(offsets, TP1)).isEqualTo(8);
        OffsetManager reloaded = new OffsetManager(t.reloaded().shard);
        assertThat(committed(reloaded, TP)).isEqualTo(20);
        assertThat(committed(reloaded, TP1)).isEqualTo(8);
    }

    @Test
    void transactionsOfTwoProducersEndIndependently() {
        txnCommit(PID, TP, 10);
        txnCommit(PID + 1, TP1, 11);

        end(PID + 1, TransactionResult.COMMIT);

        assertThat(committed(offsets, TP1)).isEqualTo(11);
        assertThat(committed(offsets, TP)).isNull();
        assertThat(offsets.fetch("g", null, -1, List.of(TP, TP1), true).unstable()).containsExactly(TP);
        end(PID, TransactionResult.ABORT);
        assertThat(committed(offsets, TP)).isNull();
        assertThat(t.shard.pendingTransactions().hasOpenTransactions("g")).isFalse();
    }

    @Test
    void aMarkerOfAProducerWithoutOffsetsHereChangesNothing() {
        plainCommit(TP, 5);
        end(99, TransactionResult.COMMIT);
        assertThat(committed(offsets, TP)).isEqualTo(5);
    }

    @Test
    void membersOfAnUnknownGroupGetIllegalGenerationAndSimpleCommitsCreateTheGroup() {
        assertThatThrownBy(() -> offsets.commitTransactional("none", "m", null, 2, (short) 3, PID, EPOCH,
                List.of(new OffsetToCommit(TP, 1, -1, "", -1)))).isInstanceOf(IllegalGenerationException.class);
        assertThat(t.shard.group("none")).isNull();

        txnCommit(PID, TP, 1);
        assertThat(t.shard.group("g").stateName()).isEqualTo("Empty");
    }

    @Test
    void oversizedMetadataIsRefusedPerPartitionAndFailedAppendsChangeNothing() {
        Map<TopicPartition, Errors> result = offsets.commitTransactional("g", "", null, -1, (short) 3, PID, EPOCH,
                List.of(new OffsetToCommit(TP, 1, -1, "x".repeat(4097), -1), new OffsetToCommit(TP1, 2, -1, "", -1)));
        assertThat(result).containsEntry(TP, Errors.OFFSET_METADATA_TOO_LARGE).containsEntry(TP1, Errors.NONE);
        assertThat(t.shard.pendingTransactions().has("g", TP)).isFalse();

        t.failAppends = true;
        assertThatThrownBy(() -> txnCommit(PID, TP, 3)).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(t.shard.pendingTransactions().has("g", TP)).isFalse();
        assertThatThrownBy(() -> end(PID, TransactionResult.COMMIT)).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(t.shard.pendingTransactions().has("g", TP1)).isTrue();
        assertThat(committed(offsets, TP1)).isNull();
    }

    @Test
    void pendingOffsetsKeepTheirPartitionAndGroupFromExpiring() {
        plainCommit(TP, 5);
        txnCommit(PID, TP, 6);
        t.timer.advance(GroupConfig.defaults(0).offsetsRetentionMs());

        assertThat(offsets.expire()).isZero();
        assertThat(t.shard.group("g")).isNotNull();

        end(PID, TransactionResult.ABORT);
        assertThat(offsets.expire()).isEqualTo(1);
        assertThat(t.shard.group("g")).isNull();
    }

    @Test
    void deletingTheGroupDeletesItsPendingOffsetsAndALaterCommitMarkerRevivesNothing() {
        txnCommit(PID, TP, 6);
        offsets.deleteGroup("g");
        end(PID, TransactionResult.COMMIT);

        assertThat(offsets.fetch("g", null, -1, null)).isEmpty();
        assertThat(new OffsetManager(t.reloaded().shard).fetch("g", null, -1, null)).isEmpty();
    }

    @Test
    void offsetDeleteAndTopicDeletionTombstonePendingOffsets() {
        txnCommit(PID, TP, 6);
        txnCommit(PID, new TopicPartition("u", 0), 9);
        offsets.deleteOffsets("g", List.of(TP));
        assertThat(t.shard.pendingTransactions().has("g", TP)).isFalse();
        assertThat(offsets.deleteOffsetsOfTopics(Set.of("u"))).isEqualTo(1);

        end(PID, TransactionResult.COMMIT);

        assertThat(offsets.fetch("g", null, -1, null)).isEmpty();
        assertThat(new OffsetManager(t.reloaded().shard).fetch("g", null, -1, null)).isEmpty();
    }
}
