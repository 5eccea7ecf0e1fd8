package io.samsa.it.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.SamsaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Consumer groups with real kafka-clients consumers, once per protocol in {@link GroupProtocols#ALL}: partitions are
 * shared out, a stuck member's partition moves to another within its timeout with nothing lost, two groups each read
 * the whole topic, and a restarted consumer resumes from its committed offset.
 */
class GroupsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("group.initial.rebalance.delay.ms", "0",
            "group.min.session.timeout.ms", "1000", "offsets.topic.num.partitions", "10"));

    static List<String> produce(String topic, int from, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            for (int i = from; i < from + count; i++) {
                String v = "v" + i;
                values.add(v);
                producer.send(new ProducerRecord<>(topic, i % 4, "k" + i, v));
            }
            producer.flush();
        }
        return values;
    }

    @ParameterizedTest
    @MethodSource("io.samsa.it.group.GroupProtocols#all")
    void fourMembersShareFourPartitionsAndAStuckMembersPartitionMovesWithNothingLost(String protocol)
            throws Exception {
        String topic = "share-" + protocol;
        String group = "g-share-" + protocol;
        samsa.get().createTopic(topic, 4, Map.of());
        List<String> produced = new ArrayList<>(produce(topic, 0, 200));
        Set<String> seen = GroupMember.sharedSeen();
        List<GroupMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                members.add(new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps(protocol, group, 5000),
                        seen, "member-" + i));
            }
            // Given four members, each owns exactly one partition
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                members.forEach(m -> assertThat(m.failure()).isNull());
                assertThat(members).allSatisfy(m -> assertThat(m.assignment()).hasSize(1));
                assertThat(members.stream().flatMap(m -> m.assignment().stream()).collect(Collectors.toSet()))
                        .hasSize(4);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));

            // When one member stops polling without leaving
            GroupMember stuck = members.getFirst();
            TopicPartition orphan = stuck.assignment().iterator().next();
            long stuckAt = System.nanoTime();
            stuck.hang();
            produced.addAll(produce(topic, 200, 200));

            // Then its partition moves to another member in time, and every value is consumed at least once
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(members.subList(1, 4).stream()
                    .flatMap(m -> m.assignment().stream()).collect(Collectors.toSet()))
                    .hasSize(4).contains(orphan));
            assertThat(Duration.ofNanos(System.nanoTime() - stuckAt)).isLessThan(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen).containsAll(produced));
            try (Admin admin = samsa.get().admin()) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                            .isEqualTo(produced.size());
                });
            }
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.samsa.it.group.GroupProtocols#all")
    void twoGroupsEachReadTheWholeTopicAndAreListed(String protocol) throws Exception {
        String topic = "two-" + protocol;
        samsa.get().createTopic(topic, 4, Map.of());
        List<String> produced = produce(topic, 0, 100);
        Set<String> seenA = GroupMember.sharedSeen();
        Set<String> seenB = GroupMember.sharedSeen();
        String groupA = "g-a-" + protocol;
        String groupB = "g-b-" + protocol;
        try (GroupMember a = new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps(protocol, groupA, 30_000),
                seenA, "a");
             GroupMember b = new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps(protocol, groupB, 30_000),
                     seenB, "b")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(seenA).containsAll(produced);
                assertThat(seenB).containsAll(produced);
            });
            try (Admin admin = samsa.get().admin()) {
                Set<String> listed = new HashSet<>();
                admin.listGroups().all().get().stream().map(GroupListing::groupId).forEach(listed::add);
                assertThat(listed).contains(groupA, groupB);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.samsa.it.group.GroupProtocols#all")
    void aRestartedConsumerResumesAtItsCommittedOffset(String protocol) throws Exception {
        String topic = "resume-" + protocol;
        String group = "g-resume-" + protocol;
        samsa.get().createTopic(topic, 4, Map.of());
        List<String> first = produce(topic, 0, 100);
        Set<String> seen = GroupMember.sharedSeen();
        try (GroupMember m = new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps(protocol, group, 30_000),
                seen, "first")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(first));
        }
        List<String> second = produce(topic, 100, 100);
        Set<String> seenAgain = GroupMember.sharedSeen();
        try (GroupMember m = new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps(protocol, group, 30_000),
                seenAgain, "second")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> seenAgain.containsAll(second));
        }
        assertThat(seenAgain).doesNotContainAnyElementsOf(first);
        assertThat(IntStream.range(0, 1)).isNotEmpty();
    }

    /** Incremental cooperative rebalancing (KIP-429) is client-side: the broker passes the assignments through. */
    @org.junit.jupiter.api.Test
    void cooperativeStickyMembersRebalanceIncrementally() throws Exception {
        String topic = "coop";
        String group = "g-coop";
        samsa.get().createTopic(topic, 4, Map.of());
        List<String> produced = produce(topic, 0, 100);
        Set<String> seen = GroupMember.sharedSeen();
        Map<String, Object> props = new java.util.HashMap<>(GroupProtocols.consumerProps("classic", group, 30_000));
        props.put("partition.assignment.strategy",
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        try (GroupMember first = new GroupMember(samsa.get(), topic, props, seen, "coop-1")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.assignment().size() == 4);
            Set<TopicPartition> before = first.assignment();
            try (GroupMember second = new GroupMember(samsa.get(), topic, props, seen, "coop-2")) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(first.assignment()).hasSize(2);
                    assertThat(second.assignment()).hasSize(2);
                });
                assertThat(before).containsAll(first.assignment());
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsAll(produced));
                try (Admin admin = samsa.get().admin()) {
                    assertThat(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get()
                            .partitionAssignor()).isEqualTo("cooperative-sticky");
                }
            }
        }
    }

    /**
     * A member that goes silent (a raw client that joins, takes its partition and never heartbeats again, like a
     * killed process) is expired after its session timeout, and its partition moves to the live members.
     */
    @org.junit.jupiter.api.Test
    void aSilentMembersSessionExpiresAndItsPartitionMoves() throws Exception {
        String topic = "silent";
        String group = "g-silent";
        samsa.get().createTopic(topic, 4, Map.of());
        Set<String> seen = GroupMember.sharedSeen();
        try (GroupMember a = new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps("classic", group, 30_000),
                seen, "live-a");
             GroupMember b = new GroupMember(samsa.get(), topic, GroupProtocols.consumerProps("classic", group, 30_000),
                     seen, "live-b");
             RawClient raw = new RawClient(samsa.get().bootstrapServers())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> a.assignment().size() + b.assignment().size() == 4);
            java.nio.ByteBuffer sub = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                    .serializeSubscription(new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor
                            .Subscription(List.of(topic)));
            byte[] metadata = new byte[sub.remaining()];
            sub.get(metadata);
            java.util.function.Function<String, org.apache.kafka.common.requests.JoinGroupRequest.Builder> join =
                    id -> new org.apache.kafka.common.requests.JoinGroupRequest.Builder(
                            new org.apache.kafka.common.message.JoinGroupRequestData().setGroupId(group)
                                    .setMemberId(id).setSessionTimeoutMs(6000).setRebalanceTimeoutMs(30_000)
                                    .setProtocolType("consumer").setProtocols(
                                            new org.apache.kafka.common.message.JoinGroupRequestData
                                                    .JoinGroupRequestProtocolCollection(List.of(
                                                    new org.apache.kafka.common.message.JoinGroupRequestData
                                                            .JoinGroupRequestProtocol().setName("range")
                                                            .setMetadata(metadata)).iterator())));
            org.apache.kafka.common.requests.JoinGroupResponse first = raw.send(join.apply(""), (short) 7);
            org.apache.kafka.common.requests.JoinGroupResponse joined = raw.send(join.apply(first.data().memberId()),
                    (short) 7);
            assertThat(joined.error()).isEqualTo(org.apache.kafka.common.protocol.Errors.NONE);
            org.apache.kafka.common.requests.SyncGroupResponse synced = raw.send(
                    new org.apache.kafka.common.requests.SyncGroupRequest.Builder(
                            new org.apache.kafka.common.message.SyncGroupRequestData().setGroupId(group)
                                    .setMemberId(joined.data().memberId())
                                    .setGenerationId(joined.data().generationId())
                                    // mandatory from v5 (Kafka: INCONSISTENT_GROUP_PROTOCOL without them)
                                    .setProtocolType("consumer").setProtocolName("range")), (short) 5);
            assertThat(synced.error()).isIn(org.apache.kafka.common.protocol.Errors.NONE,
                    org.apache.kafka.common.protocol.Errors.REBALANCE_IN_PROGRESS);
            await().atMost(Duration.ofSeconds(20)).until(() -> a.assignment().size() + b.assignment().size() < 4);
            long silentSince = System.nanoTime();
            // the raw member now says nothing more: its session (6 s) must expire
            await().atMost(Duration.ofSeconds(25)).until(() -> a.assignment().size() + b.assignment().size() == 4);
            assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isGreaterThan(Duration.ofSeconds(4))
                    .isLessThan(Duration.ofSeconds(20));
            try (Admin admin = samsa.get().admin()) {
                assertThat(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get()
                        .members()).hasSize(2);
            }
        }
    }

    static Set<String> groupIds(List<ConsumerGroupListing> listings) {
        return listings.stream().map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
    }
}
