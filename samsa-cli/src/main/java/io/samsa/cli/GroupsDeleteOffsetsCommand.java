package io.samsa.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa groups delete-offsets --group G --topic T[:p,...]}: deletes the group's committed offsets of a topic
 * (OffsetDelete, KIP-496); refused per partition while a member subscribes to the topic.
 */
@Command(name = "delete-offsets", description = "Delete a group's committed offsets of a topic.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa groups delete-offsets --group readers --topic events"
        })
final class GroupsDeleteOffsetsCommand extends AdminCommand {
    @Option(names = "--group", required = true, paramLabel = "G", description = "The group.")
    String group;

    @Option(names = "--topic", required = true, paramLabel = "T[:p,...]", description = "The topic (and partitions).")
    String topic;

    @Override
    int run(Admin admin) throws Exception {
        Set<TopicPartition> partitions = GroupPartitions.of(admin, topic);
        PrintWriter out = spec.commandLine().getOut();
        var result = admin.deleteConsumerGroupOffsets(group, partitions);
        TextTable table = new TextTable("TOPIC", "PARTITION", "STATUS");
        boolean failed = false;
        for (TopicPartition tp : partitions) {
            String status;
            try {
                result.partitionResult(tp).get();
                status = "Successful";
            } catch (java.util.concurrent.ExecutionException e) {
                status = "Error: " + e.getCause().getMessage();
                failed = true;
            }
            table.add(tp.topic(), tp.partition(), status);
        }
        table.print(out);
        return failed ? SamsaCommand.EXIT_FAILURE : 0;
    }
}
