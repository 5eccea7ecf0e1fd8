package io.samsa.cli;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa topics alter --topic T --partitions N}: CreatePartitions (KIP-195). Partitions can only be added;
 * Kafka's message is shown when N is not an increase. Topic configs are changed with {@code samsa configs alter}.
 */
@Command(name = "alter", description = "Add partitions to a topic.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa topics alter --topic orders --partitions 12"
        })
final class TopicsAlterCommand extends AdminCommand {
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
    String topic;

    @Option(names = "--partitions", required = true, paramLabel = "N",
            description = "The new total number of partitions (more than the current count).")
    int partitions;

    @Override
    int run(Admin admin) throws Exception {
        try {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException("Topic '" + topic + "' does not exist.", SamsaCommand.EXIT_FAILURE, e);
            }
            throw e;
        }
        spec.commandLine().getOut().println("Topic " + topic + " now has " + partitions + " partitions.");
        return 0;
    }
}
