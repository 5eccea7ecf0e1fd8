package io.samsa.metadata;

import io.samsa.metadata.ControllerException.Error;
import io.samsa.metadata.record.MetadataRecord;
import io.samsa.metadata.record.MetadataRecord.RegisterBrokerRecord;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CreateTopics with manual replica assignments: Kafka's placement, ISR and refusals (messages included). */
class ManualAssignmentTest {
    /** Brokers 1..3 registered, broker 3 fenced. */
    private static ClusterImage image() {
        ClusterImage image = ClusterImage.empty();
        long index = 0;
        for (int nodeId = 1; nodeId <= 3; nodeId++) {
            MetadataRecord record = new RegisterBrokerRecord(nodeId, 1, List.of(), null, nodeId == 3);
            image = ((ApplyOutcome.Applied) ImageApplier.apply(image, List.of(record), ++index)).image();
        }
        return image;
    }

    private static TopicImage plan(Map<Integer, List<Integer>> assignments) {
        return ControllerLogic.planTopic(image(), "t", assignments, Map.of(), new UUID(0, 1));
    }

    private static Map<Integer, List<Integer>> ordered(Object... pairs) {
        Map<Integer, List<Integer>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Integer> replicas = (List<Integer>) pairs[i + 1];
            map.put((Integer) pairs[i], replicas);
        }
        return map;
    }

    @Test
    void replicasAreAsGivenLeaderIsTheFirstActiveAndTheIsrLeavesFencedBrokersOut() {
        TopicImage topic = plan(ordered(1, List.of(3, 2), 0, List.of(2, 1)));

        assertThat(topic.partitions()).extracting(PartitionImage::partition).containsExactly(0, 1);
        assertThat(topic.partitions()).extracting(PartitionImage::replicas)
                .containsExactly(List.of(2, 1), List.of(3, 2));
        assertThat(topic.partitions()).extracting(PartitionImage::isr).containsExactly(List.of(2, 1), List.of(2));
        assertThat(topic.partitions()).extracting(PartitionImage::leader).containsExactly(2, 2);
        assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.leaderEpoch()).isZero());
    }

    @Test
    void invalidAssignmentsAreRefusedWithKafkasMessages() {
        assertRefused(ordered(0, List.of()), "The manual partition assignment includes an empty replica list.");
        assertRefused(ordered(0, List.of(1, 7, 9)),
                "The manual partition assignment includes broker 7, but no such broker is registered.");
        assertRefused(ordered(0, List.of(2, 1, 2)),
                "The manual partition assignment includes the broker 2 more than once.");
        assertRefused(ordered(0, List.of(1, 2), 1, List.of(1)), "The manual partition assignment includes a "
                + "partition with 1 replica(s), but this is not consistent with previous partitions, which have 2 "
                + "replica(s).");
        assertRefused(ordered(0, List.of(1), 1, List.of(3)),
                "All brokers specified in the manual partition assignment for partition 1 are fenced or in "
                        + "controlled shutdown.");
        assertRefused(ordered(0, List.of(1), 2, List.of(2)),
                "partitions should be a consecutive 0-based integer sequence");
    }

    @Test
    void anExistingTopicIsRefusedFirst() {
        ClusterImage image = image();
        TopicImage first = ControllerLogic.planTopic(image, "t", ordered(0, List.of(1)), Map.of(), new UUID(0, 1));
        ClusterImage created = ((ApplyOutcome.Applied) ImageApplier.apply(image,
                ControllerLogic.createTopicRecords(first, Map.of()), 10)).image();

        assertThatThrownBy(() -> ControllerLogic.planTopic(created, "t", ordered(0, List.of(9)), Map.of(),
                new UUID(0, 2))).isInstanceOfSatisfying(ControllerException.class,
                e -> assertThat(e.error()).isEqualTo(Error.TOPIC_ALREADY_EXISTS));
    }

    private static void assertRefused(Map<Integer, List<Integer>> assignments, String message) {
        assertThatThrownBy(() -> plan(assignments)).isInstanceOfSatisfying(ControllerException.class, e -> {
            assertThat(e.error()).isEqualTo(Error.INVALID_REPLICA_ASSIGNMENT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
