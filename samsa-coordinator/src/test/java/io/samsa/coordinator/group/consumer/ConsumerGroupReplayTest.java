package io.samsa.coordinator.group.consumer;

import static io.samsa.coordinator.group.consumer.ShardFixture.assignment;
import static io.samsa.coordinator.group.consumer.ShardFixture.beat;
import static io.samsa.coordinator.group.consumer.ShardFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.coordinator.group.GroupCoordinatorShard;
import io.samsa.coordinator.group.record.CoordinatorRecord;
import io.samsa.coordinator.group.record.RecordCodec;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConsumerGroupReplayTest {
    private final ShardFixture f = new ShardFixture();

    @Test
    void everyRecordSurvivesTheCodec() {
        UUID t = UUID.randomUUID();
        Assignment a = Assignment.of(Map.of(t, List.of(0, 3)));
        List<ConsumerGroupRecord> records = List.of(
                new ConsumerGroupRecord.GroupEpoch("g", new ConsumerGroupRecord.GroupEpoch.Value(7, -42L)),
                new ConsumerGroupRecord.GroupEpoch("g", null),
                new ConsumerGroupRecord.MemberMetadata("g", "m", new ConsumerGroupRecord.MemberMetadata.Value(
                        "i", null, "client", "/10.0.0.1", 30_000, List.of("a", "b"), "o.*", "range")),
                new ConsumerGroupRecord.MemberMetadata("g", "m", null),
                new ConsumerGroupRecord.TargetAssignment("g", "m", a),
                new ConsumerGroupRecord.TargetAssignmentEpoch("g", 7),
                new ConsumerGroupRecord.CurrentAssignment("g", "m", new ConsumerGroupRecord.CurrentAssignment.Value(
                        7, 6, MemberState.UNREVOKED_PARTITIONS, a, Assignment.of(Map.of(t, List.of(1))))),
                new ConsumerGroupRecord.CurrentAssignment("g", "m", null));

        for (ConsumerGroupRecord r : records) {
            CoordinatorRecord raw = ConsumerGroupRecordCodec.encode(r);
            byte[] value = RecordCodec.value(raw);
            CoordinatorRecord back = RecordCodec.decode(ByteBuffer.wrap(RecordCodec.key(raw)),
                    value == null ? null : ByteBuffer.wrap(value));
            assertThat(ConsumerGroupRecordCodec.decode((CoordinatorRecord.Raw) back)).isEqualTo(r);
        }
    }

    @Test
    void aReloadedShardHasTheSameGroupsEpochsAndAssignments() {
        UUID orders = f.topic("orders", 3);
        f.heartbeat(join("g", "a", "orders"));
        f.heartbeat(join("g", "b", "orders").setInstanceId("static-b"));
        f.heartbeat(beat("g", "a", 1, Assignment.of(Map.of(orders, List.of(0, 1, 2)))));
        ConsumerGroup before = f.group("g");

        GroupCoordinatorShard reloaded = f.reload();

        ConsumerGroup after = (ConsumerGroup) reloaded.group("g");
        assertThat(after.groupEpoch()).isEqualTo(before.groupEpoch());
        assertThat(after.assignmentEpoch()).isEqualTo(before.assignmentEpoch());
        assertThat(after.metadataHash()).isEqualTo(before.metadataHash());
        assertThat(after.stateName()).isEqualTo(before.stateName());
        assertThat(after.staticMemberId("static-b")).isEqualTo("b");
        for (ConsumerGroupMember m : before.members()) {
            assertThat(after.member(m.memberId())).isEqualTo(m);
            assertThat(after.target(m.memberId())).isEqualTo(before.target(m.memberId()));
            for (int p = 0; p < 3; p++) {
                assertThat(after.partitionEpoch(orders, p)).isEqualTo(before.partitionEpoch(orders, p));
            }
        }
    }

    @Test
    void membersOfAReloadedGroupExpireIfTheyNeverComeBack() {
        f.topic("orders", 1);
        f.heartbeat(join("g", "a", "orders"));
        f.timer.cancelAll();

        GroupCoordinatorShard reloaded = f.reload();
        f.timer.advance(45_000);

        assertThat(((ConsumerGroup) reloaded.group("g")).isEmpty()).isTrue();
    }

    @Test
    void aRegexSubscriptionFollowsTopicsCreatedAndDeleted() {
        UUID o1 = f.topic("orders-1", 2);
        f.topic("payments", 2);
        ShardFixture fx = f;
        assertThat(assignment(fx.heartbeat(join("g", "a").setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders-.*")))).isEqualTo(Assignment.of(Map.of(o1, List.of(0, 1))));

        UUID o2 = f.topic("orders-2", 1);
        var r = f.heartbeat(beat("g", "a", 1, null));

        assertThat(r.memberEpoch()).isEqualTo(2);
        assertThat(assignment(r)).isEqualTo(Assignment.of(Map.of(o1, List.of(0, 1), o2, List.of(0))));
        assertThat(f.group("g").isSubscribedToTopic("orders-2")).isTrue();
        assertThat(f.group("g").isSubscribedToTopic("payments")).isFalse();

        f.deleteTopic("orders-1");
        var afterDelete = f.heartbeat(beat("g", "a", 2, null));
        assertThat(afterDelete.memberEpoch()).isEqualTo(2).as("still revoking orders-1");
        var revoked = f.heartbeat(beat("g", "a", 2, Assignment.of(Map.of(o2, List.of(0)))));
        assertThat(revoked.memberEpoch()).isEqualTo(3);
        assertThat(f.group("g").member("a").assigned()).isEqualTo(Assignment.of(Map.of(o2, List.of(0))));
    }

    @Test
    void aDeletedGroupStaysDeletedAfterAReload() {
        f.topic("orders", 1);
        f.heartbeat(join("g", "a", "orders"));
        f.heartbeat(beat("g", "a", -1, null));

        new io.samsa.coordinator.group.OffsetManager(f.shard).deleteGroup("g");

        assertThat(f.shard.group("g")).isNull();
        assertThat(f.reload().group("g")).isNull();
    }
}
