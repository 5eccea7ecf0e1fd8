package io.samsa.cli;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa users remove --user U --mechanism M}: deletes user U's credential for mechanism M, as
 * {@code kafka-configs --alter --delete-config M --entity-type users --entity-name U}. A credential that does not
 * exist fails (RESOURCE_NOT_FOUND: "Attempt to delete a user credential that does not exist").
 */
@Command(name = "remove", description = "Delete a user's SCRAM credential.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa users remove --user alice --mechanism SCRAM-SHA-256"
        })
final class UsersRemoveCommand extends AdminCommand {
    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user name.")
    String user;

    @Option(names = "--mechanism", required = true, paramLabel = "MECHANISM",
            converter = UsersCommand.MechanismConverter.class, description = "SCRAM-SHA-256 or SCRAM-SHA-512.")
    ScramMechanism mechanism;

    @Override
    int run(Admin admin) throws Exception {
        try {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(user, mechanism))).all().get();
        } catch (ExecutionException e) {
            throw UsersCommand.failure("cannot remove the " + mechanism.mechanismName() + " credential of user '" + user
                    + "'", e.getCause());
        }
        spec.commandLine().getOut().printf("Removed the %s credential of user '%s'.%n", mechanism.mechanismName(), user);
        return 0;
    }
}
