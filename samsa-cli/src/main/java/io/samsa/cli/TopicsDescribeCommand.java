package io.samsa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa topics describe}: partitions, leaders, replicas, ISR, reassignments in progress and non-default
 * configs, like kafka-topics; under-replicated partitions are marked. {@code --under-replicated-partitions} and
 * {@code --unavailable-partitions} print only the matching partition lines (no topic header), as kafka-topics.
 */
@Command(name = "describe", description = "Describe one topic or all of them.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  # leader, replicas and ISR per partition",
            "  samsa topics describe --topic orders",
            "  samsa topics describe --under-replicated-partitions"
        })
final class TopicsDescribeCommand extends AdminCommand {
    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic name (default: every topic).")
    String topic;

    @Option(names = "--under-replicated-partitions",
            description = "Only the partitions whose ISR is smaller than their replication factor.")
    boolean underReplicated;

    @Option(names = "--unavailable-partitions",
            description = "Only the partitions without a leader, or whose leader is not a live broker.")
    boolean unavailable;

    @Override
    int run(Admin admin) throws Exception {
        Collection<String> names = topic != null ? List.of(topic) : new TreeSet<>(admin.listTopics().names().get());
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(names).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException && topic != null) {
                throw new CliException("Topic '" + topic + "' does not exist.", SamsaCommand.EXIT_FAILURE, e);
            }
            throw e;
        }
        Map<TopicPartition, PartitionReassignment> reassignments = reassignments(admin, descriptions.values());
        PrintWriter out = spec.commandLine().getOut();
        if (underReplicated || unavailable) {
            Set<Integer> live = new HashSet<>();
            if (unavailable) {
                admin.describeCluster().nodes().get().stream().map(Node::id).forEach(live::add);
            }
            for (String name : names) {
                for (TopicPartitionInfo p : descriptions.get(name).partitions()) {
                    PartitionReassignment reassignment = reassignments.get(new TopicPartition(name, p.partition()));
                    if (underReplicated && TopicDescriptionFormatter.isUnderReplicated(p, reassignment)
                            || unavailable && TopicDescriptionFormatter.isUnavailable(p, live)) {
                        out.println(TopicDescriptionFormatter.partitionLine(name, p, reassignment));
                    }
                }
            }
            return 0;
        }
        Map<ConfigResource, Config> configs = configs(admin, names);
        for (String name : names) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            List<ConfigEntry> overrides = config == null
                    ? List.of()
                    : config.entries().stream()
                            .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                            .toList();
            TopicDescriptionFormatter.format(descriptions.get(name), overrides, reassignments).forEach(out::println);
        }
        return 0;
    }

    private static Map<ConfigResource, Config> configs(Admin admin, Collection<String> names) throws Exception {
        List<ConfigResource> resources = new ArrayList<>();
        names.forEach(name -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name)));
        try {
            return admin.describeConfigs(resources).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            return Map.of(); // a broker without DescribeConfigs: describe the partitions without configs
        }
    }

    /** The reassignments in progress among the described partitions; none from a broker without the API. */
    private static Map<TopicPartition, PartitionReassignment> reassignments(
            Admin admin, Collection<TopicDescription> topics) throws Exception {
        Set<TopicPartition> partitions = new HashSet<>();
        topics.forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition()))));
        if (partitions.isEmpty()) {
            return Map.of();
        }
        try {
            return admin.listPartitionReassignments(partitions).reassignments().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            return Map.of();
        }
    }
}
