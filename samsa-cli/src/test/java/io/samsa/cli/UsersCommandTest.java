package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code samsa users}: option parsing and usage errors, without a broker. */
class UsersCommandTest {
    private static CommandLine commandLine() {
        return SamsaCommand.newCommandLine(System.in, new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T leaf(ParseResult result) {
        ParseResult p = result;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return (T) p.commandSpec().userObject();
    }

    @Test
    void add_defaults_to_scram_sha_256_with_4096_iterations_and_the_password_from_stdin() {
        UsersAddCommand add = leaf(commandLine().parseArgs("users", "add", "--user", "alice"));

        assertThat(add.user).isEqualTo("alice");
        assertThat(add.mechanism).isEqualTo(ScramMechanism.SCRAM_SHA_256);
        assertThat(add.iterations).isEqualTo(4096);
        assertThat(add.password).isNull();
    }

    @Test
    void add_takes_a_mechanism_in_any_case_iterations_and_a_password_or_a_file() {
        UsersAddCommand add = leaf(commandLine().parseArgs("users", "add", "--user", "bob", "--mechanism",
                "scram-sha-512", "--iterations", "8192", "--password", "s3cret", "--command-config", "c.properties"));
        UsersAddCommand fromFile = leaf(commandLine().parseArgs("users", "add", "--user", "bob", "--password-file",
                "/run/pw"));

        assertThat(add.mechanism).isEqualTo(ScramMechanism.SCRAM_SHA_512);
        assertThat(add.iterations).isEqualTo(8192);
        assertThat(add.password.value).isEqualTo("s3cret");
        assertThat(add.client.commandConfig).isEqualTo(Path.of("c.properties"));
        assertThat(fromFile.password.file).isEqualTo(Path.of("/run/pw"));
    }

    @Test
    void remove_needs_a_user_and_a_mechanism() {
        UsersRemoveCommand remove = leaf(commandLine().parseArgs("users", "remove", "--user", "carol",
                "--mechanism", "SCRAM-SHA-512"));

        assertThat(remove.user).isEqualTo("carol");
        assertThat(remove.mechanism).isEqualTo(ScramMechanism.SCRAM_SHA_512);
    }

    @Test
    void usage_errors_are_one_line_and_exit_2() {
        CliRun unknown = CliRun.run("users", "add", "--user", "a", "--password", "p", "--mechanism", "SCRAM-SHA-1");
        CliRun both = CliRun.run("users", "add", "--user", "a", "--password", "p", "--password-file", "f");
        CliRun noMechanism = CliRun.run("users", "remove", "--user", "a");
        CliRun noSubcommand = CliRun.run("users");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("samsa: Invalid value for option '--mechanism': unknown SCRAM "
                + "mechanism 'SCRAM-SHA-1' (SCRAM-SHA-256 or SCRAM-SHA-512)");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(noMechanism.exitCode()).isEqualTo(2);
        assertThat(noMechanism.err()).contains("--mechanism");
        assertThat(noSubcommand.exitCode()).isEqualTo(2);
        assertThat(noSubcommand.err()).startsWith("samsa: missing subcommand: add, list or remove");
    }
}
