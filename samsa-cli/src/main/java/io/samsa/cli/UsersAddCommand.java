package io.samsa.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code samsa users add --user U [--mechanism M] [--iterations N] [--password P | --password-file F]}: creates or
 * replaces user U's SCRAM credential for mechanism M, as {@code kafka-configs --alter --add-config
 * 'M=[iterations=N,password=P]' --entity-type users --entity-name U}. Without {@code --password} or
 * {@code --password-file} the password is the first line of stdin (keeps it out of the process list and the shell
 * history). Defaults: SCRAM-SHA-256, 4096 iterations (Kafka's {@code ConfigCommand} default); the broker accepts
 * 4096 to 16384 (UNACCEPTABLE_CREDENTIAL otherwise). Prints one confirmation line.
 */
@Command(name = "add", description = "Create or update a user's SCRAM credential.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  # SCRAM-SHA-256, 4096 iterations",
            "  samsa users add --user alice --password alice-secret",
            "  samsa users add --user bob --password-file /run/secrets/bob \\",
            "      --mechanism SCRAM-SHA-512"
        })
final class UsersAddCommand extends AdminCommand {
    /** Kafka's {@code ConfigCommand.DefaultScramIterations}. */
    static final int DEFAULT_ITERATIONS = 4096;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The user name.")
    String user;

    @Option(names = "--mechanism", paramLabel = "MECHANISM", converter = UsersCommand.MechanismConverter.class,
            defaultValue = "SCRAM-SHA-256",
            description = "SCRAM-SHA-256 or SCRAM-SHA-512 (default: ${DEFAULT-VALUE}).")
    ScramMechanism mechanism;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations, 4096 to 16384 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @ArgGroup(exclusive = true)
    PasswordSource password;

    /** Where the password comes from; neither option: the first line of stdin. */
    static final class PasswordSource {
        @Option(names = "--password", paramLabel = "PASSWORD", description = "The password (visible to ps).")
        String value;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "A file whose first line is the password.")
        Path file;
    }

    @Override
    int run(Admin admin) throws Exception {
        String secret = password();
        if (secret.isEmpty()) {
            throw new CliException("the password is empty", SamsaCommand.EXIT_USAGE, null);
        }
        var upsertion = new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, iterations), secret);
        try {
            admin.alterUserScramCredentials(List.of(upsertion)).all().get();
        } catch (ExecutionException e) {
            throw UsersCommand.failure("cannot set the " + mechanism.mechanismName() + " credential of user '" + user
                    + "'", e.getCause());
        }
        spec.commandLine().getOut().printf("Set the %s credential of user '%s' (%d iterations).%n",
                mechanism.mechanismName(), user, iterations);
        return 0;
    }

    private String password() {
        if (password != null && password.value != null) {
            return password.value;
        }
        if (password != null && password.file != null) {
            try (BufferedReader reader = Files.newBufferedReader(password.file, StandardCharsets.UTF_8)) {
                return firstLine(reader);
            } catch (NoSuchFileException e) {
                throw new CliException("cannot read " + password.file + ": no such file", SamsaCommand.EXIT_USAGE, e);
            } catch (IOException e) {
                throw new CliException("cannot read " + password.file + ": " + Errors.message(e),
                        SamsaCommand.EXIT_USAGE, e);
            }
        }
        InputStream in = spec.root().userObject() instanceof SamsaCommand root ? root.in() : System.in;
        try {
            return firstLine(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new CliException("cannot read the password from stdin: " + Errors.message(e),
                    SamsaCommand.EXIT_FAILURE, e);
        }
    }

    private static String firstLine(BufferedReader reader) throws IOException {
        String line = reader.readLine();
        return line == null ? "" : line;
    }
}
