package io.samsa.metadata;

import io.samsa.metadata.BrokerRegistration.Endpoint;
import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.PartitionRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** alterConfigs and createPartitions: planning, apply's re-validation, and a real quorum across a restart. */
class ConfigsAndPartitionsTest {
    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("PLAINTEXT", "localhost", 9092));
    private static final ConfigResource TOPIC = ConfigResource.topic("t");

    @TempDir
    Path dir;
    private final List<MetadataQuorum> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(MetadataQuorum::close);
    }

    private MetadataQuorum start() throws IOException {
        var quorum = MetadataQuorum.start(new QuorumConfig(1, dir, Map.of(1, "localhost:0")));
        started.add(quorum);
        return quorum;
    }

    private static ClusterImage apply(ClusterImage image, List<MetadataRecord> batch) {
        ApplyOutcome outcome = ImageApplier.apply(image, batch, image.appliedIndex() + 1);
        assertThat(outcome).isInstanceOf(ApplyOutcome.Applied.class);
        return ((ApplyOutcome.Applied) outcome).image();
    }

    private static ClusterImage imageWithTopic(int brokers, int partitions, short replicationFactor) {
        ClusterImage image = ClusterImage.empty();
        for (int b = 1; b <= brokers; b++) {
            image = apply(image, List.of(new RegisterBrokerRecord(b, b, List.of(), null, false)));
        }
        TopicImage topic = ControllerLogic.planTopic(image, "t", partitions, replicationFactor, Map.of(),
                new UUID(0, 1));
        return apply(image, ControllerLogic.createTopicRecords(topic, Map.of()));
    }

    private static ControllerException failure(CompletableFuture<?> future) {
        var thrown = assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).actual();
        assertThat(thrown.getCause()).isInstanceOf(ControllerException.class);
        return (ControllerException) thrown.getCause();
    }

    @Test
    void newPartitionsArePlacedRoundRobinWithPartitionZerosReplicationFactor() {
        // Given
        ClusterImage image = imageWithTopic(3, 2, (short) 2);

        // When
        TopicImage grown = ControllerLogic.planPartitions(image, "t", 5);
        ClusterImage after = apply(image, ControllerLogic.newPartitionRecords(grown, 2));

        // Then
        assertThat(after.topics().get("t").partitions()).hasSize(5).extracting(PartitionImage::partition)
                .containsExactly(0, 1, 2, 3, 4);
        assertThat(after.topics().get("t").partitions().subList(2, 5)).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(2).doesNotHaveDuplicates();
            assertThat(p.leader()).isEqualTo(p.replicas().getFirst());
        });
        assertThat(after.topicsById().get(new UUID(0, 1))).isEqualTo(after.topics().get("t"));
    }

    @Test
    void decreasingOrKeepingThePartitionCountIsRefusedWithKafkasWording() {
        ClusterImage image = imageWithTopic(1, 3, (short) 1);

        assertThatThrownBy(() -> ControllerLogic.planPartitions(image, "t", 2))
                .isInstanceOf(ControllerException.class)
                .hasMessage("The topic t currently has 3 partition(s); 2 would not be an increase.")
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(Error.INVALID_PARTITIONS);
        assertThatThrownBy(() -> ControllerLogic.planPartitions(image, "t", 3))
                .hasMessage("Topic already has 3 partition(s).");
        assertThatThrownBy(() -> ControllerLogic.planPartitions(image, "missing", 4))
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void applyRefusesAGrowthThatLostARace() {
        // Given two plans from the same image
        ClusterImage image = imageWithTopic(1, 1, (short) 1);
        List<MetadataRecord> first = ControllerLogic.newPartitionRecords(
                ControllerLogic.planPartitions(image, "t", 2), 1);
        List<MetadataRecord> second = ControllerLogic.newPartitionRecords(
                ControllerLogic.planPartitions(image, "t", 3), 1);
        ClusterImage afterFirst = apply(image, first);

        // When
        ApplyOutcome outcome = ImageApplier.apply(afterFirst, second, afterFirst.appliedIndex() + 1);

        // Then: refused as a lost race (re-planned by the writer), nothing changed
        assertThat(outcome).isInstanceOfSatisfying(ApplyOutcome.Refused.class,
                r -> assertThat(r.retriable()).isTrue());
        assertThat(((PartitionRecord) second.getFirst()).partition()).isEqualTo(1);
    }

    @Test
    void configChangesCheckTheResource() {
        ClusterImage image = imageWithTopic(1, 1, (short) 1);

        assertThatThrownBy(() -> ControllerLogic.alterConfigs(image,
                List.of(ConfigChange.set(ConfigResource.topic("missing"), "retention.ms", "1"))))
                .hasMessage("The topic 'missing' does not exist.");
        assertThatThrownBy(() -> ControllerLogic.alterConfigs(image,
                List.of(ConfigChange.set(ConfigResource.broker("x"), "log.retention.ms", "1"))))
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(Error.INVALID_REQUEST);
        assertThatThrownBy(() -> ControllerLogic.alterConfigs(image,
                List.of(ConfigChange.set(TOPIC, "retention.ms", null))))
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(Error.INVALID_REQUEST);
        assertThat(ControllerLogic.alterConfigs(image, List.of(ConfigChange.set(ConfigResource.broker("7"),
                "log.retention.ms", "1"), ConfigChange.delete(ConfigResource.clusterDefault(), "x")))).hasSize(2);
    }

    @Test
    void configsAndPartitionsAreCommittedAtomicallyAndSurviveARestart() throws Exception {
        // Given
        MetadataQuorum first = start();
        TestBrokers.live(first, 1, ENDPOINTS, null);
        first.createTopic("t", 1, (short) 1, Map.of("retention.ms", "100", "segment.ms", "200"), false).join();

        // When
        first.alterConfigs(List.of(ConfigChange.set(TOPIC, "retention.ms", "5000"),
                ConfigChange.delete(TOPIC, "segment.ms"),
                ConfigChange.set(ConfigResource.clusterDefault(), "log.retention.ms", "60000"),
                ConfigChange.set(ConfigResource.broker("1"), "message.max.bytes", "2000")), false).join();
        TopicImage grown = first.createPartitions("t", 3, false).join();
        first.close();
        MetadataQuorum second = start();

        // Then
        ClusterImage image = second.image();
        assertThat(grown.partitions()).hasSize(3);
        assertThat(image.topics().get("t").partitions()).hasSize(3);
        assertThat(image.configs(TOPIC)).isEqualTo(Map.of("retention.ms", "5000"));
        assertThat(image.configs(ConfigResource.clusterDefault())).isEqualTo(Map.of("log.retention.ms", "60000"));
        assertThat(image.configs(ConfigResource.broker("1"))).isEqualTo(Map.of("message.max.bytes", "2000"));
    }

    @Test
    void validateOnlyAndRefusedRequestsChangeNothing() throws Exception {
        // Given
        MetadataQuorum quorum = start();
        TestBrokers.live(quorum, 1, ENDPOINTS, null);
        quorum.createTopic("t", 2, (short) 1, Map.of(), false).join();
        ClusterImage before = quorum.image();

        // When
        TopicImage wouldBe = quorum.createPartitions("t", 4, true).join();
        quorum.alterConfigs(List.of(ConfigChange.set(TOPIC, "retention.ms", "1")), true).join();
        ControllerException decrease = failure(quorum.createPartitions("t", 1, false));
        ControllerException mixed = failure(quorum.alterConfigs(List.of(
                ConfigChange.set(TOPIC, "retention.ms", "1"),
                ConfigChange.set(ConfigResource.topic("gone"), "retention.ms", "1")), false));

        // Then
        assertThat(wouldBe.partitions()).hasSize(4);
        assertThat(decrease.error()).isEqualTo(Error.INVALID_PARTITIONS);
        assertThat(mixed.error()).isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(quorum.image().topics()).isEqualTo(before.topics());
        assertThat(quorum.image().configs()).isEqualTo(before.configs());
    }
}
