package io.samsa.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.samsa.coordinator.group.OffsetManager.OffsetToCommit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class OffsetManagerTest {
    static final TopicPartition TP = new TopicPartition("t", 0);
    TestShards t = new TestShards(GroupConfig.defaults(0));
    OffsetManager offsets = new OffsetManager(t.shard);

    Map<TopicPartition, Errors> commit(String group, long offset, String metadata) {
        return offsets.commit(group, "", null, -1, (short) 8, List.of(new OffsetToCommit(TP, offset, -1, metadata,
                -1)));
    }

    @Test
    void simpleCommitsCreateAnEmptyGroupAndSurviveAReload() {
        assertThat(commit("g", 10, "m")).containsEntry(TP, Errors.NONE);
        assertThat(offsets.fetch("g", null, -1, List.of(TP)).get(TP).offset()).isEqualTo(10);
        assertThat(t.shard.group("g").stateName()).isEqualTo("Empty");
        assertThat(new OffsetManager(t.reloaded().shard).fetch("g", null, -1, null)).containsKey(TP);
    }

    @Test
    void memberCommitsToUnknownGroupsAndOversizedMetadataAreRefused() {
        assertThatThrownBy(() -> offsets.commit("none", "m", null, 3, (short) 8, List.of()))
                .isInstanceOf(IllegalGenerationException.class);
        assertThatThrownBy(() -> offsets.commit("none", "m", null, 3, (short) 9, List.of()))
                .isInstanceOf(GroupIdNotFoundException.class);
        assertThat(commit("g", 1, "x".repeat(4097))).containsEntry(TP, Errors.OFFSET_METADATA_TOO_LARGE);
        assertThat(offsets.fetch("g", null, -1, List.of(TP))).isEmpty();
    }

    @Test
    void aFailedAppendChangesNothing() {
        commit("g", 5, "");
        t.failAppends = true;
        assertThatThrownBy(() -> commit("g", 6, "")).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(offsets.fetch("g", null, -1, List.of(TP)).get(TP).offset()).isEqualTo(5);
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndTheGroupGoes() {
        commit("g", 5, "");
        t.timer.advance(GroupConfig.defaults(0).offsetsRetentionMs() - 1);
        assertThat(offsets.expire()).isZero();
        t.timer.advance(1);
        assertThat(offsets.expire()).isEqualTo(1);
        assertThat(t.shard.group("g")).isNull();
        assertThat(t.reloaded().shard.offsets().all("g")).isEmpty();
    }

    @Test
    void deletingAGroupWritesTombstones() {
        commit("g", 5, "");
        offsets.deleteGroup("g");
        assertThat(t.shard.group("g")).isNull();
        assertThat(t.reloaded().shard.group("g")).isNull();
        assertThatThrownBy(() -> offsets.deleteGroup("g")).isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void offsetsOfADeletedTopicAreTombstoned() {
        commit("g", 5, "");
        assertThat(offsets.deleteOffsetsOfTopics(java.util.Set.of("t"))).isEqualTo(1);
        assertThat(offsets.fetch("g", null, -1, null)).isEmpty();
        assertThat(t.reloaded().shard.offsets().all("g")).isEmpty();
    }
}
