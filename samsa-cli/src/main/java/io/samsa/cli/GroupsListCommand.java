package io.samsa.cli;

import java.io.PrintWriter;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code samsa groups list}: group ids, sorted, one per line; with {@code --state}, a GROUP/TYPE/STATE table. */
@Command(name = "list", description = "List consumer groups.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa groups list",
            "  # with each group's type and state",
            "  samsa groups list --state"
        })
final class GroupsListCommand extends AdminCommand {
    @Option(names = "--state", description = "Also print each group's type and state.")
    boolean state;

    @Override
    int run(Admin admin) throws Exception {
        List<GroupListing> groups = admin.listGroups().all().get().stream()
                .sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (!state) {
            groups.forEach(g -> out.println(g.groupId()));
            return 0;
        }
        TextTable table = new TextTable("GROUP", "TYPE", "STATE");
        groups.forEach(g -> table.add(g.groupId(), g.type().map(Object::toString).orElse("-"),
                g.groupState().map(Object::toString).orElse("-")));
        table.print(out);
        return 0;
    }
}
