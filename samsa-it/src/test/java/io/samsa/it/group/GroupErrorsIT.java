package io.samsa.it.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.SamsaExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input from raw requests gets Kafka's error codes, never a crash, and never loses committed offsets: unknown
 * groups and members, wrong generations, oversized member metadata, assignments naming partitions that do not exist,
 * oversized commit metadata and unknown topics.
 */
class GroupErrorsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "4"));
    static RawClient raw;

    @BeforeAll
    static void start() throws Exception {
        samsa.get().createTopic("errors", 2, Map.of());
        raw = new RawClient(samsa.get().bootstrapServers());
        FindCoordinatorResponse found = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType((byte) 0).setCoordinatorKeys(List.of("warmup"))), (short) 4);
        assertThat(found.data().coordinators().getFirst().errorCode()).isEqualTo(Errors.NONE.code());
        // FindCoordinator created __consumer_offsets; its shards load in the background (COORDINATOR_LOAD_IN_PROGRESS
        // meanwhile, which a client retries): wait for the shards of every group these raw requests use
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String group : List.of("simple", "gen", "ghosts", "huge", "after-huge", "nobody", "old", "never")) {
                org.apache.kafka.common.requests.OffsetFetchResponse fetched = raw.send(
                        org.apache.kafka.common.requests.OffsetFetchRequest.Builder.forTopicNames(
                                new org.apache.kafka.common.message.OffsetFetchRequestData().setGroupId(group)
                                        .setTopics(List.of(new org.apache.kafka.common.message.OffsetFetchRequestData
                                                .OffsetFetchRequestTopic().setName("errors")
                                                .setPartitionIndexes(List.of(0)))), false), (short) 1);
                if (fetched.data().topics().getFirst().partitions().getFirst().errorCode()
                        == Errors.COORDINATOR_LOAD_IN_PROGRESS.code()) {
                    return false;
                }
            }
            return true;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        raw.close();
    }

    static JoinGroupResponse join(String group, String memberId, byte[] metadata) throws Exception {
        return raw.send(new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(30_000).setProtocolType("consumer")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(metadata))
                        .iterator()))), (short) 9);
    }

    static byte[] subscription(String topic) {
        ByteBuffer b = ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(
                List.of(topic)));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Joins a one-member group (MEMBER_ID_REQUIRED first) and returns the join response of generation 1. */
    static JoinGroupResponse joinOne(String group, byte[] metadata) throws Exception {
        JoinGroupResponse first = join(group, "", metadata);
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponse joined = join(group, first.data().memberId(), metadata);
        assertThat(joined.error()).isEqualTo(Errors.NONE);
        return joined;
    }

    static SyncGroupResponse sync(String group, String memberId, int generation, byte[] assignment) throws Exception {
        return raw.send(new SyncGroupRequest.Builder(new SyncGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationId(generation).setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                        .setMemberId(memberId).setAssignment(assignment)))), (short) 3);
    }

    @Test
    void unknownGroupsAndMembersGetKafkasCodes() throws Exception {
        HeartbeatResponse hb = raw.send(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("nobody")
                .setMemberId("m").setGenerationId(1)), (short) 4);
        assertThat(hb.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        DescribeGroupsResponse described = raw.send(new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                .setGroups(List.of("nobody"))), (short) 6);
        assertThat(described.data().groups().getFirst().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        DeleteGroupsResponse deleted = raw.send(new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData()
                .setGroupsNames(List.of("nobody"))), (short) 2);
        assertThat(deleted.data().results().find("nobody").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        JoinGroupResponse joinUnknownMember = join("nobody", "made-up", subscription("errors"));
        assertThat(joinUnknownMember.error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void wrongGenerationAndWrongMemberAreRefused() throws Exception {
        JoinGroupResponse joined = joinOne("gen", subscription("errors"));
        String member = joined.data().memberId();
        int generation = joined.data().generationId();
        assertThat(sync("gen", member, generation + 1, new byte[0]).error()).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(sync("gen", "someone-else", generation, new byte[0]).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(sync("gen", member, generation, new byte[0]).error()).isEqualTo(Errors.NONE);
        HeartbeatResponse hb = raw.send(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("gen")
                .setMemberId(member).setGenerationId(generation - 1)), (short) 4);
        assertThat(hb.error()).isEqualTo(Errors.ILLEGAL_GENERATION);
        OffsetCommitResponse commit = commit("gen", member, generation + 5, "", 3);
        assertThat(error(commit)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void anAssignmentOfMissingPartitionsIsPassedThroughAsKafkaDoes() throws Exception {
        JoinGroupResponse joined = joinOne("ghosts", subscription("errors"));
        ByteBuffer a = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
                List.of(new TopicPartition("no-such-topic", 7), new TopicPartition("errors", 99))));
        byte[] assignment = new byte[a.remaining()];
        a.get(assignment);
        SyncGroupResponse synced = sync("ghosts", joined.data().memberId(), joined.data().generationId(), assignment);
        assertThat(synced.error()).isEqualTo(Errors.NONE);
        assertThat(synced.data().assignment()).isEqualTo(assignment);
    }

    @Test
    void oversizedMemberMetadataFailsTheSyncNotTheBroker() throws Exception {
        byte[] huge = new byte[2 * 1024 * 1024];
        JoinGroupResponse joined = joinOne("huge", huge);
        SyncGroupResponse synced = sync("huge", joined.data().memberId(), joined.data().generationId(), new byte[0]);
        assertThat(synced.error()).isIn(Errors.UNKNOWN_SERVER_ERROR, Errors.REBALANCE_IN_PROGRESS);
        // the broker still serves groups
        JoinGroupResponse other = joinOne("after-huge", subscription("errors"));
        assertThat(sync("after-huge", other.data().memberId(), other.data().generationId(), new byte[0]).error())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void badCommitsAreRefusedAndCommittedOffsetsSurvive() throws Exception {
        assertThat(error(commit("simple", "", -1, "", 42))).isEqualTo(Errors.NONE);
        assertThat(error(commit("simple", "", -1, "x".repeat(4097), 50))).isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
        OffsetCommitResponse unknownTopic = raw.send(OffsetCommitRequest.Builder.forTopicNames(
                new OffsetCommitRequestData().setGroupId("simple").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                        .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("nope")
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0).setCommittedOffset(1)))))), (short) 8);
        assertThat(error(unknownTopic)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        try (Admin admin = samsa.get().admin()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets(
                    "simple").partitionsToOffsetAndMetadata().get()).containsExactly(Map.entry(
                    new TopicPartition("errors", 0), new OffsetAndMetadata(42, java.util.Optional.empty(), ""))));
        }
    }

    /** Old clients sit on the oldest versions (kafka-python: JoinGroup v2, OffsetCommit v2, OffsetFetch v1). */
    @Test
    void theOldestVersionsOfEveryGroupApiWork() throws Exception {
        FindCoordinatorResponse found = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKey("old")), (short) 0);
        assertThat(found.error()).isEqualTo(Errors.NONE);
        FindCoordinatorResponse txn = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKey("tx").setKeyType((byte) 1)), (short) 1);
        assertThat(txn.error()).isEqualTo(Errors.NONE); // the transaction coordinator's (v1: key types)
        JoinGroupResponse joined = raw.send(new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId("old")
                .setMemberId("").setSessionTimeoutMs(30_000).setProtocolType("consumer")
                .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection(List.of(
                        new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                                .setMetadata(subscription("errors"))).iterator()))), (short) 0);
        assertThat(joined.error()).isEqualTo(Errors.NONE);
        String member = joined.data().memberId();
        int generation = joined.data().generationId();
        SyncGroupResponse synced = raw.send(new SyncGroupRequest.Builder(new SyncGroupRequestData().setGroupId("old")
                .setMemberId(member).setGenerationId(generation)), (short) 0);
        assertThat(synced.error()).isEqualTo(Errors.NONE);
        HeartbeatResponse hb = raw.send(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("old")
                .setMemberId(member).setGenerationId(generation)), (short) 0);
        assertThat(hb.error()).isEqualTo(Errors.NONE);
        assertThat(error(raw.send(OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
                .setGroupId("old").setGenerationIdOrMemberEpoch(generation).setMemberId(member)
                .setRetentionTimeMs(-1).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("errors").setPartitions(List.of(new OffsetCommitRequestData
                                .OffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(3)))))),
                (short) 2))).isEqualTo(Errors.NONE);
        org.apache.kafka.common.requests.OffsetFetchResponse fetched = raw.send(
                org.apache.kafka.common.requests.OffsetFetchRequest.Builder.forTopicNames(
                        new org.apache.kafka.common.message.OffsetFetchRequestData().setGroupId("old").setTopics(List.of(
                                new org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic()
                                        .setName("errors").setPartitionIndexes(List.of(0, 1)))), false), (short) 1);
        assertThat(fetched.data().topics().getFirst().partitions()).extracting(p -> p.committedOffset())
                .containsExactly(-1L, 3L);
        org.apache.kafka.common.requests.ListGroupsResponse listed = raw.send(
                new org.apache.kafka.common.requests.ListGroupsRequest.Builder(
                        new org.apache.kafka.common.message.ListGroupsRequestData()), (short) 0);
        assertThat(listed.data().groups()).extracting(g -> g.groupId()).contains("old");
        DescribeGroupsResponse described = raw.send(new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                .setGroups(List.of("old", "never"))), (short) 0);
        assertThat(described.data().groups()).extracting(g -> g.groupState()).containsExactly("Stable", "Dead");
        org.apache.kafka.common.requests.LeaveGroupResponse left = raw.send(
                new org.apache.kafka.common.requests.LeaveGroupRequest.Builder("old", List.of(
                        new org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity()
                                .setMemberId(member))), (short) 0);
        assertThat(left.error()).isEqualTo(Errors.NONE);
        DeleteGroupsResponse deleted = raw.send(new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData()
                .setGroupsNames(List.of("old"))), (short) 0);
        assertThat(deleted.data().results().find("old").errorCode()).isEqualTo(Errors.NONE.code());
    }

    static OffsetCommitResponse commit(String group, String member, int generation, String metadata, long offset)
            throws Exception {
        return raw.send(OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(member)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("errors")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(offset).setCommittedMetadata(metadata)))))),
                (short) 8);
    }

    static Errors error(OffsetCommitResponse r) {
        return Errors.forCode(r.data().topics().getFirst().partitions().getFirst().errorCode());
    }
}
