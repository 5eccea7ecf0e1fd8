package io.samsa.coordinator.group.consumer;

import static io.samsa.coordinator.group.consumer.ShardFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.coordinator.group.OffsetManager;
import io.samsa.coordinator.group.OffsetManager.OffsetToCommit;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** TxnOffsetCommit v3+ from members of a KIP-848 group: checked as Kafka checks them (KIP-447). */
class ConsumerGroupTxnOffsetCommitTest {
    static final TopicPartition TP = new TopicPartition("orders", 0);
    final ShardFixture f = new ShardFixture();
    final OffsetManager offsets = new OffsetManager(f.shard);

    Object commit(String member, int epoch) {
        return offsets.commitTransactional("g", member, null, epoch, (short) 3, 77, (short) 0,
                List.of(new OffsetToCommit(TP, 5, -1, "", -1)));
    }

    @Test
    void aMemberCommitsWithItsEpochAStaleEpochIsAnIllegalGeneration() {
        f.topic("orders", 1);
        assertThat(f.heartbeat(join("g", "a", "orders")).memberEpoch()).isEqualTo(1);

        assertThat(commit("a", 1)).isEqualTo(java.util.Map.of(TP, Errors.NONE));
        assertThat(f.shard.pendingTransactions().has("g", TP)).isTrue();
        assertThatThrownBy(() -> commit("a", 0)).isInstanceOf(IllegalGenerationException.class);
        assertThatThrownBy(() -> commit("ghost", 1)).isInstanceOf(UnknownMemberIdException.class);
        // a commit without member fields (TxnOffsetCommit v0-2) is refused while the group has members
        assertThatThrownBy(() -> commit("", -1)).isInstanceOf(UnknownMemberIdException.class);
    }
}
