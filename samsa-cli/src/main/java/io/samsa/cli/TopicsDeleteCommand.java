package io.samsa.cli;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code samsa topics delete}: DeleteTopics. */
@Command(name = "delete", description = "Delete a topic.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa topics delete --topic orders",
            "  samsa topics delete --topic orders --if-exists"
        })
final class TopicsDeleteCommand extends AdminCommand {
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
    String topic;

    @Option(names = "--if-exists", description = "Succeed when the topic does not exist.")
    boolean ifExists;

    @Override
    int run(Admin admin) throws Exception {
        try {
            admin.deleteTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                if (ifExists) {
                    return 0;
                }
                throw new CliException("Topic '" + topic + "' does not exist.", SamsaCommand.EXIT_FAILURE, e);
            }
            throw e;
        }
        spec.commandLine().getOut().println("Deleted topic " + topic + ".");
        return 0;
    }
}
