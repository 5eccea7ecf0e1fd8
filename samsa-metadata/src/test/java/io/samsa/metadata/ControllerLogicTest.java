package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControllerLogicTest {
    private static ClusterImage withBrokers(int... nodeIds) {
        ClusterImage image = ClusterImage.empty();
        long index = 0;
        for (int nodeId : nodeIds) {
            MetadataRecord record = new RegisterBrokerRecord(nodeId, 1, List.of(), null, false);
            image = ((ApplyOutcome.Applied) ImageApplier.apply(image, List.of(record), ++index)).image();
        }
        return image;
    }

    private static Error errorOf(Runnable action) {
        try {
            action.run();
        } catch (ControllerException e) {
            return e.error();
        }
        throw new AssertionError("no ControllerException");
    }

    @Test
    void replicasAreRoundRobinOverBrokersLeaderFirst() {
        ClusterImage image = withBrokers(3, 1, 2);

        TopicImage topic = ControllerLogic.planTopic(image, "t", 4, (short) 2, Map.of(), new UUID(0, 7));

        assertThat(topic.partitions()).extracting(PartitionImage::replicas)
                .containsExactly(List.of(1, 2), List.of(2, 3), List.of(3, 1), List.of(1, 2));
        assertThat(topic.partitions()).allSatisfy(p -> {
            assertThat(p.isr()).isEqualTo(p.replicas());
            assertThat(p.leader()).isEqualTo(p.replicas().getFirst());
            assertThat(p.leaderEpoch()).isZero();
        });
    }

    @Test
    void placementOffsetMovesWithExistingPartitions() {
        ClusterImage image = withBrokers(1, 2, 3);
        TopicImage first = ControllerLogic.planTopic(image, "a", 1, (short) 1, Map.of(), new UUID(0, 1));
        image = ((ApplyOutcome.Applied) ImageApplier.apply(image,
                ControllerLogic.createTopicRecords(first, Map.of()), 10)).image();

        TopicImage second = ControllerLogic.planTopic(image, "b", 1, (short) 1, Map.of(), new UUID(0, 2));

        assertThat(first.partitions().getFirst().leader()).isEqualTo(1);
        assertThat(second.partitions().getFirst().leader()).isEqualTo(2);
    }

    @Test
    void fencedBrokersGetNoReplicas() {
        ClusterImage image = withBrokers(1, 2);
        image = ((ApplyOutcome.Applied) ImageApplier.apply(image,
                List.of(new RegisterBrokerRecord(2, 9, List.of(), null, true)), 9)).image();

        TopicImage topic = ControllerLogic.planTopic(image, "t", 3, (short) 1, Map.of(), new UUID(0, 1));

        assertThat(topic.partitions()).extracting(PartitionImage::leader).containsOnly(1);
    }

    @Test
    void invalidRequestsAreRefusedWithKafkasErrors() {
        ClusterImage image = withBrokers(1, 2);
        UUID id = new UUID(0, 1);

        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "t", 1, (short) 3, Map.of(), id)))
                .isEqualTo(Error.INVALID_REPLICATION_FACTOR);
        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "t", 1, (short) 0, Map.of(), id)))
                .isEqualTo(Error.INVALID_REPLICATION_FACTOR);
        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "t", 0, (short) 1, Map.of(), id)))
                .isEqualTo(Error.INVALID_PARTITIONS);
        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "bad name", 1, (short) 1, Map.of(), id)))
                .isEqualTo(Error.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "..", 1, (short) 1, Map.of(), id)))
                .isEqualTo(Error.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "x".repeat(250), 1, (short) 1, Map.of(), id)))
                .isEqualTo(Error.INVALID_TOPIC_EXCEPTION);
        assertThat(errorOf(() -> ControllerLogic.planTopic(image, "t", 1, (short) 1, Map.of("", "v"), id)))
                .isEqualTo(Error.INVALID_CONFIG);
        assertThat(errorOf(() -> ControllerLogic.deleteTopic(image, "missing")))
                .isEqualTo(Error.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(errorOf(() -> ControllerLogic.planTopic(withBrokers(), "t", 1, (short) 1, Map.of(), id)))
                .isEqualTo(Error.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void producerIdBlocksStartAtTheCounter() {
        var record = ControllerLogic.allocateProducerIds(withBrokers(1), 1, 1000);

        assertThat(record.firstProducerId()).isZero();
        assertThat(record.nextProducerId()).isEqualTo(1000);
        assertThatThrownBy(() -> ControllerLogic.allocateProducerIds(withBrokers(1), 1, 0))
                .isInstanceOf(ControllerException.class);
    }

    @Test
    void clusterIdsLookLikeKafkas() {
        for (int i = 0; i < 100; i++) {
            assertThat(Uuids.randomClusterId()).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
        }
        assertThat(Uuids.render(new UUID(0, 1))).isEqualTo("AAAAAAAAAAAAAAAAAAAAAQ");
    }

    @Test
    void placementPutsReplicasOnDistinctRacks() {
        // Given six brokers on three racks
        ClusterImage image = Images.builder().broker(1, "a").broker(2, "a").broker(3, "b").broker(4, "b")
                .broker(5, "c").broker(6, "c").build();

        // When
        TopicImage topic = ControllerLogic.planTopic(image, "t", 6, (short) 3, Map.of(), new UUID(1, 2));

        // Then every partition spans the three racks, and leaders spread over all brokers
        assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas().stream()
                .map(id -> image.brokers().get(id).rack()).distinct()).hasSize(3));
        assertThat(topic.partitions().stream().map(PartitionImage::leader).distinct()).hasSize(6);
    }

    @Test
    void placementWithMoreReplicasThanRacksStillUsesEveryRack() {
        ClusterImage image = Images.builder().broker(1, "a").broker(2, "a").broker(3, "b").build();

        TopicImage topic = ControllerLogic.planTopic(image, "t", 3, (short) 3, Map.of(), new UUID(1, 2));

        assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).containsExactlyInAnyOrder(1, 2, 3));
        assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas().subList(0, 2).stream()
                .map(id -> image.brokers().get(id).rack()).distinct()).hasSize(2));
    }

    @Test
    void placementWithoutRacksIsRoundRobinOverUnfencedBrokers() {
        ClusterImage image = Images.builder().brokers(1, 2, 3).fenced(2).build();

        TopicImage topic = ControllerLogic.planTopic(image, "t", 2, (short) 2, Map.of(), new UUID(1, 2));

        assertThat(topic.partitions()).extracting(PartitionImage::replicas)
                .containsExactly(List.of(1, 3), List.of(3, 1));
        assertThatThrownBy(() -> ControllerLogic.planTopic(image, "u", 1, (short) 3, Map.of(), new UUID(1, 3)))
                .hasMessage("Replication factor: 3 larger than available brokers: 2.");
    }
}
