package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.group.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader killed with SIGKILL and started again before its broker session expired: the new process replays a
 * metadata image that still names its node the leader (the controller has not fenced the dead process yet), and the
 * controller refuses its registration until that session expires. Meanwhile it must take no role from that image:
 * it becomes no second leader at the dead one's leader epoch (which made two transaction coordinators serve one
 * transactional id, and fenced a live producer, in {@code ClusterTransactionsIT}), and it answers no request (as
 * Kafka's broker, it serves clients only at the end of its start-up): a write sent to it at once is answered only
 * then, NOT_LEADER_OR_FOLLOWER, as the leadership moved when the dead process's session expired. Once registered it
 * follows the new leader, and the acknowledged record is all the partition holds.
 */
class RestartBeforeSessionExpiryIT {
    private static final String TOPIC = "restarted";

    @TempDir
    Path dir;

    @Test
    void aLeaderRestartedBeforeItsSessionExpiredLeadsNothingUntilItIsRegisteredAgain() throws Exception {
        // a session long enough that the restarted process listens well before the dead one's session expires
        try (ClusterProcesses cluster = ClusterProcesses.startLoopback(dir, 3, Map.of(
                "broker.session.timeout.ms", "20000"));
             Admin admin = Clients.admin(cluster.bootstrapServers())) {
            // the partition is led by a node that is not the metadata controller: a new controller would start
            // every session afresh and accept the restarted node's registration at once
            int controller = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId(), id -> id > 0);
            int preferred = controller % 3 + 1;
            List<Integer> replicas = List.of(preferred, preferred % 3 + 1, (preferred + 1) % 3 + 1);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, replicas))
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(10, TimeUnit.SECONDS);
                return true;
            });
            try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                    ProducerConfig.ACKS_CONFIG, "all"))) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k", "before")).get(30, TimeUnit.SECONDS);
            }
            int leader = leaderOf(admin);
            assertThat(leader).isNotEqualTo(controller);

            // When the leader is killed and started again at once
            cluster.kill(leader);
            cluster.start(leader);

            // Then a write sent to the new process while the controller still holds the dead one's registration is
            // answered once the new one is registered, as by any follower (before the fix it was appended there at
            // once, at the dead leader's epoch), and the new process never led the partition
            try (RawClient raw = new RawClient(cluster.bootstrapServers(leader))) {
                assertThat(produce(raw, "to-the-restarted-node")).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
            }
            await("the restarted node's start-up line").atMost(Duration.ofSeconds(30))
                    .until(() -> newestIncarnation(cluster, leader).contains("Samsa started"));
            assertThat(newestIncarnation(cluster, leader)).doesNotContain("Leader of " + TOPIC + "-0");

            // and once registered it rejoins the ISR behind the new leader, and the acknowledged record is all there is
            await("the restarted node back in the ISR").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                            assertThat(describe(admin).partitions().getFirst().isr()).hasSize(3));
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                assertThat(end).isEqualTo(1);
                ConsumerRecord<String, String> first = null;
                while (first == null) {
                    var records = consumer.poll(Duration.ofMillis(200)).records(tp);
                    first = records.isEmpty() ? null : records.getFirst();
                }
                assertThat(first.value()).isEqualTo("before");
            }
        }
    }

    /** What the newest process of node {@code id} printed. */
    private static String newestIncarnation(ClusterProcesses cluster, int id) {
        String output = cluster.output(id);
        return output.substring(output.lastIndexOf("=== starting node"));
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC);
    }

    private static int leaderOf(Admin admin) throws Exception {
        return describe(admin).partitions().getFirst().leader().id();
    }

    /** One record to partition 0 with acks=1, straight to the node {@code raw} is connected to. */
    private static Errors produce(RawClient raw, String value) throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(TOPIC).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        ProduceResponse response = raw.send(ProduceRequest.builder(new ProduceRequestData().setAcks((short) 1)
                .setTimeoutMs(30_000).setTopicData(topics)), (short) 11);
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().getFirst()
                .errorCode());
    }
}
