package io.samsa.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code samsa topics list}: topic names, sorted, one per line. */
@Command(name = "list", description = "List topic names.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa topics list",
            "  samsa topics list --exclude-internal --bootstrap-server broker1:9092"
        })
final class TopicsListCommand extends AdminCommand {
    @Option(names = "--exclude-internal", description = "Leave out internal topics such as __consumer_offsets.")
    boolean excludeInternal;

    @Override
    int run(Admin admin) throws Exception {
        Set<String> names = new TreeSet<>(
                admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal)).names().get());
        PrintWriter out = spec.commandLine().getOut();
        names.forEach(out::println);
        return 0;
    }
}
