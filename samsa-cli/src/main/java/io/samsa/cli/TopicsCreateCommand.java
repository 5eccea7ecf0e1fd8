package io.samsa.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code samsa topics create}: CreateTopics; partitions and replication factor default to the broker's. */
@Command(name = "create", description = "Create a topic.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa topics create --topic orders --partitions 6 --replication-factor 3",
            "  samsa topics create --topic audit --config retention.ms=86400000 \\",
            "      --config cleanup.policy=compact --if-not-exists"
        })
final class TopicsCreateCommand extends AdminCommand {
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", description = "Partition count (default: num.partitions).")
    Integer partitions;

    @Option(
            names = "--replication-factor",
            paramLabel = "R",
            description = "Replication factor (default: default.replication.factor).")
    Short replicationFactor;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Topic config override, e.g. retention.ms=60000.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed when the topic exists already.")
    boolean ifNotExists;

    @Override
    int run(Admin admin) throws Exception {
        if (Topic.hasCollisionChars(topic)) { // as Kafka's kafka-topics warns
            spec.commandLine().getErr().println("WARNING: Due to limitations in metric names, topics with a period "
                    + "('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.");
        }
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                .configs(configs);
        try {
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException && ifNotExists) {
                return 0;
            }
            throw e;
        }
        spec.commandLine().getOut().println("Created topic " + topic + ".");
        return 0;
    }
}
