package io.samsa.broker.handlers.group;

import static io.samsa.broker.security.AllowList.ALICE;
import static io.samsa.broker.security.AllowList.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.security.AllowList;
import io.samsa.protocol.RequestContext;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The group APIs refuse what Kafka 4.3's {@code KafkaApis} refuses, with its errors, before the group coordinator is
 * asked anything (the coordinator is absent here: a request that reached it would fail).
 */
class GroupApisAuthorizationTest {
    private final AllowList acls = new AllowList();
    private final BrokerContext ctx = new BrokerContext(null, null, null, null, null, null, null, null, null, acls);

    private static short code(Errors e) {
        return e.code();
    }

    @Test
    void theClassicProtocolNeedsReadOnTheGroup() {
        // Given: alice may only describe the group
        acls.allow(ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "g");

        // When
        JoinGroupResponseData join = new JoinGroupHandler(null, acls).handle(request(ApiKeys.JOIN_GROUP, 9, ALICE),
                new JoinGroupRequestData().setGroupId("g").setProtocolType("consumer")).join();
        short sync = new SyncGroupHandler(null, acls).handle(request(ApiKeys.SYNC_GROUP, 5, ALICE),
                new SyncGroupRequestData().setGroupId("g").setProtocolType("consumer").setProtocolName("range"))
                .join().errorCode();
        short heartbeat = new HeartbeatHandler(null, acls).handle(request(ApiKeys.HEARTBEAT, 4, ALICE),
                new HeartbeatRequestData().setGroupId("g")).join().errorCode();
        short leave = new LeaveGroupHandler(null, acls).handle(request(ApiKeys.LEAVE_GROUP, 5, ALICE),
                new LeaveGroupRequestData().setGroupId("g")).join().errorCode();

        // Then
        assertThat(join.errorCode()).isEqualTo(code(Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(join.generationId()).isEqualTo(-1);
        assertThat(List.of(sync, heartbeat, leave)).containsOnly(code(Errors.GROUP_AUTHORIZATION_FAILED));
    }

    @Test
    void syncGroupV5WithoutProtocolIsInconsistentBeforeItIsAuthorized() {
        short error = new SyncGroupHandler(null, acls).handle(request(ApiKeys.SYNC_GROUP, 5, ALICE),
                new SyncGroupRequestData().setGroupId("g")).join().errorCode();

        assertThat(error).isEqualTo(code(Errors.INCONSISTENT_GROUP_PROTOCOL));
    }

    @Test
    void offsetCommitWithoutReadOnTheGroupFailsEveryPartition() {
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("a").setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0),
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1))),
                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("b").setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)))));

        OffsetCommitResponseData response = new OffsetCommitHandler(ctx, null)
                .handle(request(ApiKeys.OFFSET_COMMIT, 9, ALICE), commit).join();

        assertThat(response.topics()).flatExtracting(t -> t.partitions().stream()
                        .map(p -> tuple(t.name(), p.partitionIndex(), p.errorCode())).toList())
                .containsExactly(tuple("a", 0, code(Errors.GROUP_AUTHORIZATION_FAILED)),
                        tuple("a", 1, code(Errors.GROUP_AUTHORIZATION_FAILED)),
                        tuple("b", 0, code(Errors.GROUP_AUTHORIZATION_FAILED)));
    }

    @Test
    void findCoordinatorNeedsDescribeOnEachKey() {
        FindCoordinatorHandler handler = new FindCoordinatorHandler(ctx, null, null);

        FindCoordinatorResponseData groups = handler.handle(request(ApiKeys.FIND_COORDINATOR, 6, ALICE),
                new FindCoordinatorRequestData().setKeyType(CoordinatorType.GROUP.id())
                        .setCoordinatorKeys(List.of("g1", "g2"))).join();
        FindCoordinatorResponseData txn = handler.handle(request(ApiKeys.FIND_COORDINATOR, 6, ALICE),
                new FindCoordinatorRequestData().setKeyType(CoordinatorType.TRANSACTION.id())
                        .setCoordinatorKeys(List.of("t1"))).join();
        FindCoordinatorResponseData old = handler.handle(request(ApiKeys.FIND_COORDINATOR, 3, ALICE),
                new FindCoordinatorRequestData().setKeyType(CoordinatorType.GROUP.id()).setKey("g1")).join();

        assertThat(groups.coordinators()).extracting(c -> c.key(), c -> c.errorCode(), c -> c.nodeId())
                .containsExactly(tuple("g1", code(Errors.GROUP_AUTHORIZATION_FAILED), -1),
                        tuple("g2", code(Errors.GROUP_AUTHORIZATION_FAILED), -1));
        assertThat(txn.coordinators()).extracting(c -> c.errorCode())
                .containsExactly(code(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        assertThat(old.errorCode()).isEqualTo(code(Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(old.errorMessage()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.message());
    }

    @Test
    void describeAndDeleteAnswerEachRefusedGroupOnce() {
        var described = new DescribeGroupsHandler(null, acls).handle(request(ApiKeys.DESCRIBE_GROUPS, 5, ALICE),
                new DescribeGroupsRequestData().setGroups(List.of("g1")).setIncludeAuthorizedOperations(true)).join();
        var deleted = new DeleteGroupsHandler(null, acls).handle(request(ApiKeys.DELETE_GROUPS, 2, ALICE),
                new DeleteGroupsRequestData().setGroupsNames(List.of("g1", "g2", "g1"))).join();

        assertThat(described.groups()).extracting(g -> g.groupId(), g -> g.errorCode(), g -> g.groupState())
                .containsExactly(tuple("g1", code(Errors.GROUP_AUTHORIZATION_FAILED), ""));
        assertThat(deleted.results()).extracting(DeletableGroupResult::groupId, DeletableGroupResult::errorCode)
                .containsExactly(tuple("g1", code(Errors.GROUP_AUTHORIZATION_FAILED)),
                        tuple("g2", code(Errors.GROUP_AUTHORIZATION_FAILED)));
    }

    @Test
    void offsetDeleteNeedsDeleteOnTheGroupNotRead() {
        acls.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "g");

        var response = new OffsetDeleteHandler(null, acls).handle(request(ApiKeys.OFFSET_DELETE, 0, ALICE),
                new OffsetDeleteRequestData().setGroupId("g")).join();

        assertThat(response.errorCode()).isEqualTo(code(Errors.GROUP_AUTHORIZATION_FAILED));
    }

    @Test
    void consumerGroupHeartbeatNeedsGroupReadThenDescribeOnEverySubscribedTopic() {
        ConsumerGroupHeartbeatHandler handler = new ConsumerGroupHeartbeatHandler(null, null, acls);
        ConsumerGroupHeartbeatRequestData join = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("m").setMemberEpoch(0).setRebalanceTimeoutMs(300_000)
                .setSubscribedTopicNames(List.of("visible", "hidden")).setTopicPartitions(List.of());
        RequestContext context = request(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 1, ALICE);

        short noGroup = handler.handle(context, join).join().errorCode();
        acls.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "g")
                .allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "visible");
        short noTopic = handler.handle(context, join).join().errorCode();

        assertThat(noGroup).isEqualTo(code(Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(noTopic).isEqualTo(code(Errors.TOPIC_AUTHORIZATION_FAILED));
    }

    @Test
    void consumerGroupDescribeHidesGroupsThatAssignUndescribableTopics() {
        var refused = new ConsumerGroupDescribeHandler(null, null, null, acls).handle(
                request(ApiKeys.CONSUMER_GROUP_DESCRIBE, 1, ALICE),
                new org.apache.kafka.common.message.ConsumerGroupDescribeRequestData().setGroupIds(List.of("g")))
                .join();
        DescribedGroup group = new DescribedGroup().setGroupId("g").setGroupState("Stable").setMembers(List.of(
                new ConsumerGroupDescribeResponseData.Member().setMemberId("m").setTargetAssignment(
                        new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(List.of(
                                new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicName("secret"))))));

        DescribedGroup hidden = ConsumerGroupDescribeHandler.hideUndescribableTopics(group, "public"::equals);
        DescribedGroup shown = ConsumerGroupDescribeHandler.hideUndescribableTopics(group, t -> true);

        assertThat(refused.groups()).extracting(DescribedGroup::errorCode)
                .containsExactly(code(Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(hidden.errorCode()).isEqualTo(code(Errors.TOPIC_AUTHORIZATION_FAILED));
        assertThat(hidden.errorMessage())
                .isEqualTo("The group has described topic(s) that the client is not authorized to describe.");
        assertThat(hidden.members()).isEmpty();
        assertThat(shown).isSameAs(group);
    }

    @Test
    void txnOffsetCommitChecksTheTransactionalIdThenTheGroup() {
        TxnOffsetCommitRequestData commit = new TxnOffsetCommitRequestData().setTransactionalId("tx")
                .setGroupId("g").setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                        .setName("a").setPartitions(List.of(new TxnOffsetCommitRequestData
                                .TxnOffsetCommitRequestPartition().setPartitionIndex(0)))));
        TxnOffsetCommitHandler handler = new TxnOffsetCommitHandler(ctx, null, null);
        RequestContext context = request(ApiKeys.TXN_OFFSET_COMMIT, 4, ALICE);

        TxnOffsetCommitResponseData noTxn = handler.handle(context, commit).join();
        acls.allow(ALICE, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "tx");
        TxnOffsetCommitResponseData noGroup = handler.handle(context, commit).join();

        assertThat(noTxn.topics().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(code(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        assertThat(noGroup.topics().getFirst().partitions().getFirst().errorCode())
                .isEqualTo(code(Errors.GROUP_AUTHORIZATION_FAILED));
    }
}
