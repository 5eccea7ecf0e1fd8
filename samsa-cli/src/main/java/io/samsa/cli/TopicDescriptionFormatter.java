package io.samsa.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The text of {@code topics describe}, in kafka-topics' layout: one header line per topic, then one tab-indented
 * line per partition. Pure.
 */
final class TopicDescriptionFormatter {
    private TopicDescriptionFormatter() {
    }

    /** The lines describing {@code topic}; {@code configs} are the topic's non-default configs. */
    static List<String> format(TopicDescription topic, Collection<ConfigEntry> configs) {
        List<String> lines = new ArrayList<>();
        int replicationFactor = topic.partitions().isEmpty() ? 0 : topic.partitions().get(0).replicas().size();
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
            lines.add("\tTopic: " + topic.name()
                    + "\tPartition: " + partition.partition()
                    + "\tLeader: " + (partition.leader() == null || partition.leader().isEmpty()
                            ? "none"
                            : partition.leader().id())
                    + "\tReplicas: " + ids(partition.replicas())
                    + "\tIsr: " + ids(partition.isr()));
        }
        return lines;
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(node -> Integer.toString(node.id())).collect(Collectors.joining(","));
    }
}
