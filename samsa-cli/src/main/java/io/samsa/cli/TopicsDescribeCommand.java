package io.samsa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code samsa topics describe}: partitions, leaders, replicas, ISR and non-default configs, like kafka-topics. */
@Command(name = "describe", description = "Describe one topic or all of them.", mixinStandardHelpOptions = true)
final class TopicsDescribeCommand extends AdminCommand {
    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic name (default: every topic).")
    String topic;

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
        List<ConfigResource> resources = new ArrayList<>();
        names.forEach(name -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name)));
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            configs = Map.of(); // a broker without DescribeConfigs: describe the partitions without configs
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String name : names) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            List<ConfigEntry> overrides = config == null
                    ? List.of()
                    : config.entries().stream()
                            .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                            .toList();
            TopicDescriptionFormatter.format(descriptions.get(name), overrides).forEach(out::println);
        }
        return 0;
    }
}
