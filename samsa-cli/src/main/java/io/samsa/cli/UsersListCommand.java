package io.samsa.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa users list [--user U...]}: the SCRAM credentials of every user (or of the given ones), one row per
 * user and mechanism: USER MECHANISM ITERATIONS, sorted by user then mechanism. Users without a credential are left
 * out (the broker answers RESOURCE_NOT_FOUND for them), as {@code kafka-configs --describe --entity-type users}
 * does. Never prints salts or keys: the API does not return them.
 */
@Command(name = "list", description = "List SCRAM users with their mechanisms and iterations.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa users list",
            "  samsa users list --user alice"
        })
final class UsersListCommand extends AdminCommand {
    @Option(names = "--user", paramLabel = "NAME", description = "Only this user (repeatable).")
    List<String> users = new ArrayList<>();

    @Override
    int run(Admin admin) throws Exception {
        Map<String, UserScramCredentialsDescription> descriptions;
        try {
            descriptions = admin.describeUserScramCredentials(users.isEmpty() ? null : users).all().get();
        } catch (ExecutionException e) {
            throw UsersCommand.failure("cannot list SCRAM users", e.getCause());
        }
        TextTable table = new TextTable("USER", "MECHANISM", "ITERATIONS");
        descriptions.values().stream().sorted(Comparator.comparing(UserScramCredentialsDescription::name))
                .forEach(d -> d.credentialInfos().stream()
                        .sorted(Comparator.comparingInt((ScramCredentialInfo i) -> i.mechanism().type()))
                        .forEach(i -> table.add(d.name(), i.mechanism().mechanismName(), i.iterations())));
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
