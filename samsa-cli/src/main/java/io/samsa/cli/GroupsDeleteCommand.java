package io.samsa.cli;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code samsa groups delete --group G...}: deletes empty groups with their committed offsets. */
@Command(name = "delete", description = "Delete consumer groups (they must be empty).", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa groups delete --group readers",
            "  samsa groups delete --group old-a --group old-b"
        })
final class GroupsDeleteCommand extends AdminCommand {
    @Option(names = "--group", required = true, paramLabel = "G", description = "A group to delete (repeatable).")
    List<String> groups;

    @Override
    int run(Admin admin) throws Exception {
        admin.deleteConsumerGroups(groups).all().get();
        spec.commandLine().getOut().printf("Deletion of requested consumer groups (%s) was successful.%n",
                String.join(", ", groups.stream().map(g -> "'" + g + "'").toList()));
        return 0;
    }
}
