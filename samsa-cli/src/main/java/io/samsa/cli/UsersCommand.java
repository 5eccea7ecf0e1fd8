package io.samsa.cli;

import java.util.Locale;
import org.apache.kafka.clients.admin.ScramMechanism;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code samsa users}: SCRAM credentials (KIP-554) through the Admin API, the part of
 * {@code kafka-configs --entity-type users} that adds ({@code --add-config 'SCRAM-SHA-256=[...]'}), lists
 * ({@code --describe}) and deletes ({@code --delete-config SCRAM-SHA-256}) them. The password never leaves the client:
 * the Admin client salts and hashes it (PBKDF2 with the given iterations) and sends salt + salted password.
 */
@Command(
        name = "users",
        description = "Add, list and remove SCRAM users (AlterUserScramCredentials / DescribeUserScramCredentials).",
        mixinStandardHelpOptions = true,
        subcommands = {UsersAddCommand.class, UsersListCommand.class, UsersRemoveCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa users add --user alice --password alice-secret",
            "  samsa users list",
            "  samsa users remove --user alice --mechanism SCRAM-SHA-256"
        })
final class UsersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add, list or remove");
    }

    /** {@code --mechanism}: {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (case-insensitive), else a usage error. */
    static final class MechanismConverter implements ITypeConverter<ScramMechanism> {
        @Override
        public ScramMechanism convert(String name) {
            ScramMechanism mechanism = ScramMechanism.fromMechanismName(name.toUpperCase(Locale.ROOT));
            if (mechanism == ScramMechanism.UNKNOWN) {
                throw new TypeConversionException(
                        "unknown SCRAM mechanism '" + name + "' (SCRAM-SHA-256 or SCRAM-SHA-512)");
            }
            return mechanism;
        }
    }

    /** "{@code what}: {@code cause's message}", one line. */
    static CliException failure(String what, Throwable cause) {
        return new CliException(what + ": " + Errors.message(cause), SamsaCommand.EXIT_FAILURE, cause);
    }
}
