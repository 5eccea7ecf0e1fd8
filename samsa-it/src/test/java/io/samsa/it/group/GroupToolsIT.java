package io.samsa.it.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.samsa.it.SamsaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Other clients of the same groups: Kafka 4.3.1's own {@code kafka-consumer-groups} (ConsumerGroupCommand, in a child
 * JVM since it calls Exit) lists groups and shows the right lag; a librdkafka consumer (kcat balanced mode) shares a
 * group's partitions with a Java consumer.
 */
class GroupToolsIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension(Map.of("group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "4"));

    static void produce(String topic, int partitions, int perPartition) {
        try (KafkaProducer<String, String> producer = samsa.get().producer(Map.of())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "k", "p" + p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    static String runTool(List<String> args) throws Exception {
        Path log = Files.createTempFile(samsa.dir(), "tool-", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath(),
                "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kafka-consumer-groups finished").isTrue();
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    @Test
    void kafkaConsumerGroupsListsAndDescribesWithTheRightLag() throws Exception {
        samsa.get().createTopic("lagged", 2, Map.of());
        produce("lagged", 2, 50);
        try (KafkaConsumer<String, String> consumer = samsa.get().consumer(Map.of("group.id", "lagging"))) {
            consumer.subscribe(List.of("lagged"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });
            consumer.commitSync(Map.of(new TopicPartition("lagged", 0), new OffsetAndMetadata(30),
                    new TopicPartition("lagged", 1), new OffsetAndMetadata(50)));
        }
        String list = runTool(List.of("--bootstrap-server", samsa.get().bootstrapServers(), "--list"));
        assertThat(list.lines().map(String::trim)).contains("lagging");

        String describe = runTool(List.of("--bootstrap-server", samsa.get().bootstrapServers(), "--describe",
                "--group", "lagging"));
        List<String[]> rows = describe.lines().map(String::trim).filter(l -> l.startsWith("lagging "))
                .map(l -> l.split("\\s+")).toList();
        assertThat(rows).as(describe).hasSize(2);
        // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
        assertThat(rows).anySatisfy(r -> assertThat(Arrays.copyOfRange(r, 1, 6))
                .containsExactly("lagged", "0", "30", "50", "20"));
        assertThat(rows).anySatisfy(r -> assertThat(Arrays.copyOfRange(r, 1, 6))
                .containsExactly("lagged", "1", "50", "50", "0"));
    }

    @Test
    void aKcatBalancedConsumerSharesPartitionsWithAJavaConsumer() throws Exception {
        samsa.get().createTopic("mixed", 4, Map.of());
        Set<String> javaSeen = GroupMember.sharedSeen();
        Path out = Files.createTempFile(samsa.dir(), "kcat-", ".out");
        Path err = Files.createTempFile(samsa.dir(), "kcat-", ".err");
        Process kcat = null;
        try (GroupMember java = new GroupMember(samsa.get(), "mixed",
                GroupProtocols.consumerProps("classic", "mixed-group", 30_000), javaSeen, "java-member")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> java.assignment().size() == 4);
            kcat = new ProcessBuilder("kcat", "-b", samsa.get().bootstrapServers(), "-G", "mixed-group", "-q", "-u",
                    "-f", "%s\\n", "-X", "session.timeout.ms=6000", "-X", "auto.offset.reset=earliest", "mixed")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (Admin admin = samsa.get().admin()) {
                await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("mixed-group"))
                            .describedGroups().get("mixed-group").get();
                    assertThat(d.members()).hasSize(2);
                    assertThat(d.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions())
                            .isNotEmpty());
                    assertThat(d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum())
                            .isEqualTo(4);
                    assertThat(d.members().stream().map(MemberDescription::clientId)).anyMatch(c -> c.contains("rdkafka"));
                });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> java.assignment().size() < 4);
            produce("mixed", 4, 25);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> all = new HashSet<>(javaSeen);
                all.addAll(Files.readAllLines(out));
                assertThat(all).hasSize(100);
                assertThat(javaSeen).isNotEmpty().hasSizeLessThan(100);
            });
        } finally {
            if (kcat != null) {
                kcat.destroy();
                kcat.waitFor(10, TimeUnit.SECONDS);
                kcat.destroyForcibly();
            }
        }
    }
}
