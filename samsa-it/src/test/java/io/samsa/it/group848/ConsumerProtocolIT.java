package io.samsa.it.group848;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.EmbeddedSamsa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-clients 4.3.1 with {@code group.protocol=consumer} (KIP-848) against an embedded Samsa: partition spreading,
 * a SIGKILLed member's partition moving within the session timeout without losing records, independent groups,
 * committed offsets across consumer and broker restarts, regex subscriptions, the admin client and
 * {@code kafka-consumer-groups --describe}.
 */
class ConsumerProtocolIT {
    private static final int SESSION_TIMEOUT_MS = 6000;

    @TempDir
    static Path dir;
    static EmbeddedSamsa samsa;

    @BeforeAll
    static void start() throws Exception {
        samsa = EmbeddedSamsa.start(dir, Map.of(
                "group.consumer.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS),
                "group.consumer.min.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS),
                "group.consumer.heartbeat.interval.ms", "500",
                "offsets.topic.num.partitions", "4"));
    }

    @AfterAll
    static void stop() {
        if (samsa != null) {
            samsa.close();
        }
    }

    private static GroupMember member(String name, String group, List<String> topics) {
        return new GroupMember(name, samsa.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20)),
                topics);
    }

    private static void produce(String topic, int partitions, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = samsa.producer(Map.of())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, topic + "-" + i));
            }
            producer.flush();
        }
    }

    private static Set<String> values(String topic, int from, int to) {
        Set<String> out = new HashSet<>();
        IntStream.range(from, to).forEach(i -> out.add(topic + "-" + i));
        return out;
    }

    @Test
    void fourMembersOwnOnePartitionEachAndAKilledMembersPartitionMovesWithNothingLost() throws Exception {
        samsa.createTopic("kill4", 4, Map.of());
        Path victimLog = Files.createTempFile(dir, "victim-", ".log");
        Process victim = new ProcessBuilder(javaBin(), "-Xmx256m", "-cp", classpath(),
                VictimConsumer.class.getName(), samsa.bootstrapServers(), "kill4-group", "kill4")
                .redirectErrorStream(true).redirectOutput(victimLog.toFile()).start();
        List<GroupMember> survivors = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(victimLines(victimLog, "ASSIGNED ")).isNotEmpty());
            for (int i = 0; i < 3; i++) {
                survivors.add(member("survivor-" + i, "kill4-group", List.of("kill4")));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    survivors.forEach(s -> assertThat(s.assignment).hasSize(1)));
            Set<TopicPartition> owned = new HashSet<>();
            survivors.forEach(s -> owned.addAll(s.assignment));
            assertThat(owned).hasSize(3);
            produce("kill4", 4, 0, 400);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(victimLines(victimLog,
                    "CONSUMED ")).as(() -> diagnose(victimLog, survivors, "kill4-group")).isNotEmpty());

            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killedAt = System.nanoTime();
            produce("kill4", 4, 400, 800);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(survivors.stream()
                    .mapToInt(s -> s.assignment.size()).sum()).isEqualTo(4));
            long movedMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(movedMs).as("moved within the session timeout plus a heartbeat")
                    .isLessThan(SESSION_TIMEOUT_MS + 5_000L);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> all = new HashSet<>(victimLines(victimLog, "CONSUMED "));
                survivors.forEach(s -> all.addAll(s.consumed));
                assertThat(all).as("at least once: nothing lost or skipped").containsAll(values("kill4", 0, 800));
            });
            survivors.forEach(s -> assertThat(s.failure()).isNull());
        } finally {
            victim.destroyForcibly();
            for (GroupMember s : survivors) {
                s.close();
            }
        }
    }

    @Test
    void twoGroupsEachReadTheWholeTopic() throws Exception {
        samsa.createTopic("shared", 3, Map.of());
        produce("shared", 3, 0, 300);
        try (GroupMember a = member("a", "group-a", List.of("shared"));
             GroupMember b = member("b", "group-b", List.of("shared"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(a.consumed).containsExactlyInAnyOrderElementsOf(values("shared", 0, 300));
                assertThat(b.consumed).containsExactlyInAnyOrderElementsOf(values("shared", 0, 300));
            });
        }
    }

    @Test
    void aRestartedMemberResumesAtItsCommittedOffsetAcrossABrokerRestart() throws Exception {
        samsa.createTopic("resume", 2, Map.of());
        produce("resume", 2, 0, 100);
        try (GroupMember first = member("first", "resume-group", List.of("resume"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(first.consumed).containsExactlyInAnyOrderElementsOf(values("resume", 0, 100)));
        }
        samsa.restart();
        produce("resume", 2, 100, 140);
        try (GroupMember second = member("second", "resume-group", List.of("resume"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(second.consumed).containsExactlyInAnyOrderElementsOf(values("resume", 100, 140)));
            assertThat(second.firstOffsets).containsEntry(new TopicPartition("resume", 0), 50L)
                    .containsEntry(new TopicPartition("resume", 1), 50L);
        }
    }

    @Test
    void aClientSidePatternPicksUpATopicCreatedLater() throws Exception {
        regexPicksUpLaterTopic("rxc", (c, l) -> c.subscribe(Pattern.compile("rxc-.*"), l));
    }

    @Test
    void aServerSideRegexPicksUpATopicCreatedLater() throws Exception {
        regexPicksUpLaterTopic("rxs", (c, l) -> c.subscribe(new SubscriptionPattern("rxs-.*"), l));
    }

    private void regexPicksUpLaterTopic(String prefix,
            BiConsumer<KafkaConsumer<String, String>, ConsumerRebalanceListener> subscribe) throws Exception {
        samsa.createTopic(prefix + "-one", 1, Map.of());
        produce(prefix + "-one", 1, 0, 5);
        try (GroupMember m = new GroupMember(prefix, samsa.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG,
                prefix + "-group", ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000)), subscribe)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(m.consumed).containsAll(values(prefix + "-one", 0, 5)));
            samsa.createTopic(prefix + "-two", 2, Map.of());
            produce(prefix + "-two", 2, 0, 6);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(m.consumed).containsAll(values(prefix + "-two", 0, 6)));
            assertThat(m.assignment).hasSize(3);
        }
    }

    @Test
    void theAdminClientAndKafkaConsumerGroupsDescribeTheGroup() throws Exception {
        samsa.createTopic("described", 2, Map.of());
        produce("described", 2, 0, 10);
        try (GroupMember a = member("d-a", "described-group", List.of("described"));
             GroupMember b = member("d-b", "described-group", List.of("described"));
             Admin admin = samsa.admin()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(a.assignment).hasSize(1);
                assertThat(b.assignment).hasSize(1);
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("described-group"))
                        .describedGroups().get("described-group").get();
                assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(d.members()).hasSize(2);
                Set<TopicPartition> assigned = new HashSet<>();
                for (MemberDescription m : d.members()) {
                    assertThat(m.assignment().topicPartitions()).hasSize(1);
                    assigned.addAll(m.assignment().topicPartitions());
                }
                assertThat(assigned).containsExactlyInAnyOrder(new TopicPartition("described", 0),
                        new TopicPartition("described", 1));
            });
            assertThat(admin.listGroups().all().get()).anySatisfy(g -> {
                assertThat(g.groupId()).isEqualTo("described-group");
                assertThat(g.type()).contains(GroupType.CONSUMER);
            });
            Path log = Files.createTempFile(dir, "describe-", ".log");
            Process p = new ProcessBuilder(javaBin(), "-Xmx256m", "-cp", classpath(),
                    "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server",
                    samsa.bootstrapServers(), "--describe", "--group", "described-group")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("described-group", "described", "CONSUMER-ID");
            assertThat(out.lines().filter(l -> l.startsWith("described-group"))).hasSize(2);
        }
    }

    private static String diagnose(Path victimLog, List<GroupMember> members, String group) {
        StringBuilder sb = new StringBuilder();
        try (Admin admin = samsa.admin()) {
            sb.append(readQuietly(victimLog)).append('\n');
            members.forEach(m -> sb.append(m.assignment).append(" consumed ").append(m.consumed.size())
                    .append(" failure ").append(m.failure()).append('\n'));
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get();
            sb.append(d).append('\n');
            sb.append(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        } catch (Exception e) {
            sb.append(e);
        }
        return sb.toString();
    }

    private static List<String> victimLines(Path log, String prefix) throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).toList();
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
