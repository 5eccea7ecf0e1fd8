package io.samsa.cli;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Parses {@code T} (every partition of the topic) and {@code T:0,2} (those partitions). */
final class GroupPartitions {
    private GroupPartitions() {
    }

    static Set<TopicPartition> of(Admin admin, String spec) throws Exception {
        Set<TopicPartition> out = new TreeSet<>(GroupsDescribeCommand.ORDER);
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            String topic = spec.substring(0, colon);
            for (String p : spec.substring(colon + 1).split(",")) {
                try {
                    out.add(new TopicPartition(topic, Integer.parseInt(p.strip())));
                } catch (NumberFormatException e) {
                    throw new CliException("Invalid partition '" + p + "' in --topic " + spec, SamsaCommand.EXIT_USAGE,
                            e);
                }
            }
            return out;
        }
        TopicDescription d = admin.describeTopics(List.of(spec)).allTopicNames().get().get(spec);
        d.partitions().forEach(p -> out.add(new TopicPartition(spec, p.partition())));
        return out;
    }
}
