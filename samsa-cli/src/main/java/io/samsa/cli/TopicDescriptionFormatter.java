package io.samsa.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The text of {@code topics describe}, in kafka-topics' layout: one header line per topic, then one tab-indented
 * line per partition with its leader, replicas and ISR; a reassignment in progress adds {@code Adding Replicas} and
 * {@code Removing Replicas} (as kafka-topics), and a partition whose ISR is smaller than its replication factor ends
 * with {@code UnderReplicated: true} (Samsa's mark). Pure.
 */
final class TopicDescriptionFormatter {
    private TopicDescriptionFormatter() {
    }

    /** The lines describing {@code topic}; {@code configs} are the topic's non-default configs. */
    static List<String> format(TopicDescription topic, Collection<ConfigEntry> configs) {
        return format(topic, configs, Map.of());
    }

    /**
     * The lines describing {@code topic}, with the reassignments in progress ({@code Admin.listPartitionReassignments},
     * possibly empty).
     */
    static List<String> format(TopicDescription topic, Collection<ConfigEntry> configs,
                               Map<TopicPartition, PartitionReassignment> reassignments) {
        List<String> lines = new ArrayList<>();
        int replicationFactor = topic.partitions().isEmpty() ? 0 : replicationFactor(topic.partitions().get(0),
                reassignments.get(new TopicPartition(topic.name(), topic.partitions().get(0).partition())));
        String configText = configs.stream()
                .map(entry -> entry.name() + "=" + entry.value())
                .sorted()
                .collect(Collectors.joining(","));
        lines.add("Topic: " + topic.name()
                + "\tTopicId: " + topic.topicId()
                + "\tPartitionCount: " + topic.partitions().size()
                + "\tReplicationFactor: " + replicationFactor
                + "\tConfigs: " + configText);
        for (TopicPartitionInfo partition : topic.partitions()) {
            lines.add(partitionLine(topic.name(), partition,
                    reassignments.get(new TopicPartition(topic.name(), partition.partition()))));
        }
        return lines;
    }

    /** One partition's line; {@code reassignment} may be null. */
    static String partitionLine(String topic, TopicPartitionInfo partition, PartitionReassignment reassignment) {
        StringBuilder line = new StringBuilder()
                .append("\tTopic: ").append(topic)
                .append("\tPartition: ").append(partition.partition())
                .append("\tLeader: ").append(hasLeader(partition) ? Integer.toString(partition.leader().id()) : "none")
                .append("\tReplicas: ").append(ids(partition.replicas()))
                .append("\tIsr: ").append(ids(partition.isr()));
        if (reassignment != null) {
            line.append("\tAdding Replicas: ").append(join(reassignment.addingReplicas()))
                    .append("\tRemoving Replicas: ").append(join(reassignment.removingReplicas()));
        }
        if (isUnderReplicated(partition, reassignment)) {
            line.append("\tUnderReplicated: true");
        }
        return line.toString();
    }

    /**
     * Kafka's TopicCommand test: fewer in-sync replicas than the replication factor (the replicas not being removed
     * by a reassignment in progress).
     */
    static boolean isUnderReplicated(TopicPartitionInfo partition, PartitionReassignment reassignment) {
        return replicationFactor(partition, reassignment) > partition.isr().size();
    }

    /** No leader (kafka-topics' {@code --unavailable-partitions}, with the live brokers' ids). */
    static boolean isUnavailable(TopicPartitionInfo partition, Collection<Integer> liveBrokers) {
        return !hasLeader(partition) || !liveBrokers.contains(partition.leader().id());
    }

    private static int replicationFactor(TopicPartitionInfo partition, PartitionReassignment reassignment) {
        if (reassignment == null) {
            return partition.replicas().size();
        }
        return (int) partition.replicas().stream().filter(n -> !reassignment.removingReplicas().contains(n.id()))
                .count();
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(node -> Integer.toString(node.id())).collect(Collectors.joining(","));
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
