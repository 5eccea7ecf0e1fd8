package io.samsa.coordinator.group.consumer;

import static io.samsa.coordinator.group.consumer.ShardFixture.assignment;
import static io.samsa.coordinator.group.consumer.ShardFixture.beat;
import static io.samsa.coordinator.group.consumer.ShardFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsumerGroupHeartbeatTest {
    private final ShardFixture f = new ShardFixture();
    private UUID orders;

    @BeforeEach
    void topics() {
        orders = f.topic("orders", 4);
    }

    private Assignment parts(Integer... ps) {
        return Assignment.of(Map.of(orders, List.of(ps)));
    }

    @Test
    void theFirstMemberGetsEveryPartitionAtEpochOne() {
        ConsumerGroupHeartbeatResponseData r = f.heartbeat(join("g", "a", "orders"));

        assertThat(r.errorCode()).isZero();
        assertThat(r.memberId()).isEqualTo("a");
        assertThat(r.memberEpoch()).isEqualTo(1);
        assertThat(r.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(assignment(r)).isEqualTo(parts(0, 1, 2, 3));
        assertThat(f.group("g").stateName()).isEqualTo("Stable");
    }

    @Test
    void aSecondMemberWaitsUntilTheFirstRevokes() {
        f.heartbeat(join("g", "a", "orders"));

        ConsumerGroupHeartbeatResponseData b = f.heartbeat(join("g", "b", "orders"));
        assertThat(b.memberEpoch()).isEqualTo(2);
        assertThat(assignment(b).isEmpty()).isTrue();
        assertThat(f.group("g").stateName()).isEqualTo("Reconciling");

        ConsumerGroupHeartbeatResponseData a = f.heartbeat(beat("g", "a", 1, parts(0, 1, 2, 3)));
        assertThat(a.memberEpoch()).as("keeps its epoch until it revokes").isEqualTo(1);
        Assignment kept = assignment(a);
        assertThat(kept.size()).isEqualTo(2);

        ConsumerGroupHeartbeatResponseData bStill = f.heartbeat(beat("g", "b", 2, Assignment.EMPTY));
        assertThat(assignment(bStill)).as("nothing released yet").isNull();

        ConsumerGroupHeartbeatResponseData aDone = f.heartbeat(beat("g", "a", 1, kept));
        assertThat(aDone.memberEpoch()).isEqualTo(2);

        ConsumerGroupHeartbeatResponseData bGets = f.heartbeat(beat("g", "b", 2, Assignment.EMPTY));
        assertThat(assignment(bGets)).isEqualTo(parts(0, 1, 2, 3).minus(kept));
        assertThat(f.group("g").stateName()).isEqualTo("Stable");
    }

    @Test
    void v0MembersGetAnIdFromTheCoordinator() {
        ConsumerGroupHeartbeatResponseData r = f.heartbeat(join("g", "", "orders"), (short) 0);

        assertThat(r.errorCode()).isZero();
        assertThat(r.memberId()).isNotEmpty();
        assertThat(f.heartbeat(join("g", "", "orders"), (short) 1).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void staleAndFutureEpochsAreFenced() {
        f.heartbeat(join("g", "a", "orders"));

        assertThat(f.heartbeat(beat("g", "a", 7, null)).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        f.heartbeat(join("g", "b", "orders"));
        f.heartbeat(beat("g", "a", 1, Assignment.EMPTY));
        assertThat(f.group("g").member("a").memberEpoch()).isEqualTo(2);
        assertThat(f.heartbeat(beat("g", "a", 1, Assignment.EMPTY)).errorCode())
                .as("the previous epoch with owned partitions inside the assignment is accepted").isZero();
        assertThat(f.heartbeat(beat("g", "a", 1, parts(0, 1, 2, 3))).errorCode())
                .isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
    }

    @Test
    void unknownMembersGroupsAndBadRequestsAreRefused() {
        f.heartbeat(join("g", "a", "orders"));

        assertThat(f.heartbeat(beat("g", "zz", 1, null)).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(f.heartbeat(beat("nope", "a", 1, null)).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(f.heartbeat(join("g", "c", "orders").setServerAssignor("sticky")).errorCode())
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(f.heartbeat(join("g", "c").setSubscribedTopicNames(null)).errorMessage())
                .isEqualTo("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
        assertThat(f.heartbeat(join("g", "c", "orders").setRebalanceTimeoutMs(-1)).errorMessage())
                .isEqualTo("RebalanceTimeoutMs must be provided in first request.");
        assertThat(f.heartbeat(join("g", "c", "orders").setTopicPartitions(null)).errorMessage())
                .isEqualTo("TopicPartitions must be empty when (re-)joining.");
        assertThat(f.heartbeat(join("g", "c", "orders").setInstanceId(" ")).errorMessage())
                .isEqualTo("InstanceId can't be empty.");
        assertThat(f.heartbeat(beat("g", "c", -3, null)).errorMessage()).isEqualTo("MemberEpoch is invalid.");
        assertThat(f.heartbeat(join("g", "c", "orders").setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders[")).errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
    }

    @Test
    void theGroupSizeIsCapped() {
        ShardFixture small = new ShardFixture(ConsumerGroupSettings.defaults(45_000, 5_000).withMaxSize(1));
        small.topic("orders", 1);
        small.heartbeat(join("g", "a", "orders"));

        assertThat(small.heartbeat(join("g", "b", "orders")).errorCode())
                .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
        assertThat(small.heartbeat(beat("g", "a", 1, null)).errorCode()).isZero();
    }

    @Test
    void aSilentMemberIsRemovedAfterTheSessionTimeoutAndItsPartitionsMove() {
        f.heartbeat(join("g", "a", "orders"));
        f.heartbeat(join("g", "b", "orders"));
        Assignment aKeeps = assignment(f.heartbeat(beat("g", "a", 1, parts(0, 1, 2, 3))));
        f.heartbeat(beat("g", "a", 1, aKeeps));

        f.timer.advance(40_000);
        f.heartbeat(beat("g", "b", 2, Assignment.EMPTY));
        f.timer.advance(10_000);

        assertThat(f.group("g").member("a")).as("a stopped heartbeating").isNull();
        ConsumerGroupHeartbeatResponseData b = f.heartbeat(beat("g", "b", 2, parts(0, 1, 2, 3).minus(aKeeps)));
        assertThat(b.memberEpoch()).isEqualTo(3);
        assertThat(assignment(b)).isEqualTo(parts(0, 1, 2, 3));
    }

    @Test
    void leavingHandsThePartitionsToTheRest() {
        f.heartbeat(join("g", "a", "orders"));
        f.heartbeat(join("g", "b", "orders"));

        ConsumerGroupHeartbeatResponseData left = f.heartbeat(beat("g", "b", -1, null));

        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(f.group("g").member("b")).isNull();
        assertThat(f.group("g").groupEpoch()).isEqualTo(3);
        ConsumerGroupHeartbeatResponseData a = f.heartbeat(beat("g", "a", 1, parts(0, 1, 2, 3)));
        assertThat(a.memberEpoch()).isEqualTo(3);
        assertThat(assignment(a)).as("unchanged, so not sent").isNull();
        assertThat(f.group("g").member("a").assigned()).isEqualTo(parts(0, 1, 2, 3));
    }

    @Test
    void aStaticMemberKeepsItsPartitionsAcrossATemporaryLeave() {
        f.heartbeat(join("g", "a", "orders").setInstanceId("i1"));
        f.heartbeat(join("g", "b", "orders").setInstanceId("i2"));
        f.heartbeat(beat("g", "a", 1, Assignment.EMPTY));
        Assignment bHas = f.group("g").member("b").assigned();
        Assignment target = f.group("g").target("b");
        int groupEpoch = f.group("g").groupEpoch();

        assertThat(f.heartbeat(beat("g", "b", -2, null).setInstanceId("i2")).memberEpoch()).isEqualTo(-2);
        assertThat(f.heartbeat(join("g", "b2", "orders").setInstanceId("i1")).errorCode())
                .as("i1 is still held by a").isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());
        ConsumerGroupHeartbeatResponseData back = f.heartbeat(join("g", "b2", "orders").setInstanceId("i2"));

        assertThat(back.errorCode()).isZero();
        assertThat(f.group("g").member("b")).isNull();
        assertThat(f.group("g").groupEpoch()).as("no rebalance").isEqualTo(groupEpoch);
        assertThat(f.group("g").target("b2")).isEqualTo(target);
        assertThat(assignment(back)).isEqualTo(bHas.union(f.group("g").member("b2").assigned()));
    }

    @Test
    void anEmptyClassicGroupIsTakenOverAndABusyOneIsNot() {
        f.shard.putGroup(new io.samsa.coordinator.group.classic.ClassicGroup("old", 0));

        assertThat(f.heartbeat(join("old", "a", "orders")).errorCode()).isZero();
        assertThat(f.shard.group("old")).isInstanceOf(ConsumerGroup.class);
        assertThat(f.log).anyMatch(r -> r instanceof io.samsa.coordinator.group.record.GroupMetadataRecord g
                && g.isTombstone());
    }

    @Test
    void offsetCommitsAreCheckedAgainstTheMemberEpoch() {
        f.heartbeat(join("g", "a", "orders"));
        ConsumerGroup g = f.group("g");

        g.validateOffsetCommit("a", null, 1, false, (short) 9);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> g.validateOffsetCommit("a", null, 0, false, (short) 9)))
                .isInstanceOf(org.apache.kafka.common.errors.StaleMemberEpochException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> g.validateOffsetCommit("x", null, 1, false, (short) 9)))
                .isInstanceOf(org.apache.kafka.common.errors.UnknownMemberIdException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> g.validateOffsetCommit("a", null, 1, false, (short) 8)))
                .isInstanceOf(org.apache.kafka.common.errors.UnsupportedVersionException.class);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> g.validateOffsetCommit("", null, -1, false, (short) 9)))
                .as("admin commits need an empty group")
                .isInstanceOf(org.apache.kafka.common.errors.UnknownMemberIdException.class);
        g.validateOffsetFetch(null, -1);
        g.validateOffsetFetch("a", 1);
    }
}
