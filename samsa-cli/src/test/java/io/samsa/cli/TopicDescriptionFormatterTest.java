package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class TopicDescriptionFormatterTest {
    @Test
    void formats_like_kafka_topics() {
        // Given
        Node n1 = new Node(1, "h1", 9092);
        Node n2 = new Node(2, "h2", 9092);
        Uuid id = Uuid.fromString("Qm4s0WNLSeqH71uqsXNnWA");
        TopicDescription topic = new TopicDescription("orders", false, List.of(
                new TopicPartitionInfo(0, n1, List.of(n1, n2), List.of(n1, n2)),
                new TopicPartitionInfo(1, null, List.of(n2, n1), List.of())), null, id);
        List<ConfigEntry> configs = List.of(
                new ConfigEntry("retention.ms", "60000"), new ConfigEntry("cleanup.policy", "compact"));

        // When
        List<String> lines = TopicDescriptionFormatter.format(topic, configs);

        // Then
        assertThat(lines).containsExactly(
                "Topic: orders\tTopicId: Qm4s0WNLSeqH71uqsXNnWA\tPartitionCount: 2\tReplicationFactor: 2"
                        + "\tConfigs: cleanup.policy=compact,retention.ms=60000",
                "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2",
                "\tTopic: orders\tPartition: 1\tLeader: none\tReplicas: 2,1\tIsr: \tUnderReplicated: true");
    }

    @Test
    void marks_under_replicated_partitions_and_shows_reassignments_in_progress() {
        // Given: partition 0 moves from [1,2] to [2,3] (3 added, 1 removed); ISR 1,2 covers the target size
        Node n1 = new Node(1, "h1", 9092);
        Node n2 = new Node(2, "h2", 9092);
        Node n3 = new Node(3, "h3", 9092);
        TopicPartitionInfo moving = new TopicPartitionInfo(0, n1, List.of(n2, n3, n1), List.of(n1, n2));
        PartitionReassignment reassignment = new PartitionReassignment(List.of(2, 3, 1), List.of(3), List.of(1));
        TopicPartitionInfo lagging = new TopicPartitionInfo(1, n2, List.of(n2, n3), List.of(n2));

        // When
        String movingLine = TopicDescriptionFormatter.partitionLine("t", moving, reassignment);
        String laggingLine = TopicDescriptionFormatter.partitionLine("t", lagging, null);

        // Then
        assertThat(movingLine).isEqualTo("\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 2,3,1\tIsr: 1,2"
                + "\tAdding Replicas: 3\tRemoving Replicas: 1");
        assertThat(laggingLine).isEqualTo("\tTopic: t\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2"
                + "\tUnderReplicated: true");
        assertThat(TopicDescriptionFormatter.isUnavailable(lagging, List.of(2))).isFalse();
        assertThat(TopicDescriptionFormatter.isUnavailable(lagging, List.of(3))).isTrue();
        assertThat(TopicDescriptionFormatter.isUnavailable(new TopicPartitionInfo(2, null, List.of(n1), List.of()),
                List.of(1))).isTrue();
    }
}
