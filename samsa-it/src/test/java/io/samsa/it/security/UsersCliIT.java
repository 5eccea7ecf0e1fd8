package io.samsa.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.samsa.broker.security.ScramCredentialStore;
import io.samsa.cli.SamsaCommand;
import io.samsa.it.SamsaExtension;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code samsa users add|list|remove} against a broker. */
class UsersCliIT {
    @RegisterExtension
    static final SamsaExtension samsa = new SamsaExtension();

    record Run(int exitCode, String out, String err) {
    }

    private static Run samsaCli(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", samsa.get().bootstrapServers()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SamsaCommand.newCommandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The rows of {@code users list} for {@code user}, cells split on blanks. */
    private static List<List<String>> rows(Run list, String user) {
        return list.out().lines().map(l -> List.of(l.strip().split("\\s+"))).filter(r -> r.getFirst().equals(user))
                .toList();
    }

    private static boolean proves(String user, ScramMechanism mechanism, String password) throws Exception {
        var stored = ScramCredentialStore.credential(samsa.get().broker().metadataImage(), user, mechanism)
                .orElseThrow();
        ScramFormatter formatter = new ScramFormatter(mechanism);
        byte[] salted = formatter.saltedPassword(password, stored.salt(), stored.iterations());
        return java.util.Arrays.equals(stored.storedKey(), formatter.storedKey(formatter.clientKey(salted)));
    }

    @Test
    void addListAndRemoveUsers(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("pw"), "file-secret\n");

        // Given three credentials: password on the command line, from a file, and from stdin
        Run byFlag = samsaCli("", "users", "add", "--user", "cli-alice", "--password", "alice-secret",
                "--mechanism", "SCRAM-SHA-256", "--iterations", "8192");
        Run byFile = samsaCli("", "users", "add", "--user", "cli-alice", "--password-file", passwordFile.toString(),
                "--mechanism", "scram-sha-512");
        Run byStdin = samsaCli("bob-secret\n", "users", "add", "--user", "cli-bob");

        assertThat(byFlag.exitCode()).as(byFlag.err()).isZero();
        assertThat(byFlag.out()).isEqualTo("Set the SCRAM-SHA-256 credential of user 'cli-alice' (8192 iterations).\n");
        assertThat(byFile.exitCode()).as(byFile.err()).isZero();
        assertThat(byStdin.exitCode()).as(byStdin.err()).isZero();
        assertThat(proves("cli-alice", ScramMechanism.SCRAM_SHA_256, "alice-secret")).isTrue();
        assertThat(proves("cli-alice", ScramMechanism.SCRAM_SHA_512, "file-secret")).isTrue();
        assertThat(proves("cli-bob", ScramMechanism.SCRAM_SHA_256, "bob-secret")).isTrue();

        // When listed: user, mechanism, iterations
        Run list = samsaCli("", "users", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h.split("\\s+"))
                .containsExactly("USER", "MECHANISM", "ITERATIONS"));
        assertThat(rows(list, "cli-alice")).containsExactly(List.of("cli-alice", "SCRAM-SHA-256", "8192"),
                List.of("cli-alice", "SCRAM-SHA-512", "4096"));
        assertThat(rows(list, "cli-bob")).containsExactly(List.of("cli-bob", "SCRAM-SHA-256", "4096"));
        Run onlyBob = samsaCli("", "users", "list", "--user", "cli-bob", "--user", "cli-nobody");
        assertThat(onlyBob.out().lines().skip(1)).containsExactly("cli-bob SCRAM-SHA-256 4096");

        // When one credential is removed
        Run removed = samsaCli("", "users", "remove", "--user", "cli-alice", "--mechanism", "SCRAM-SHA-256");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.out()).isEqualTo("Removed the SCRAM-SHA-256 credential of user 'cli-alice'.\n");
        assertThat(rows(samsaCli("", "users", "list"), "cli-alice"))
                .containsExactly(List.of("cli-alice", "SCRAM-SHA-512", "4096"));
    }

    @Test
    void failuresAreOneLineWithAnExitCode() {
        Run few = samsaCli("", "users", "add", "--user", "cli-few", "--password", "pw", "--iterations", "100");
        Run missing = samsaCli("", "users", "remove", "--user", "cli-ghost", "--mechanism", "SCRAM-SHA-512");
        Run mechanism = samsaCli("", "users", "add", "--user", "cli-x", "--password", "pw", "--mechanism", "PLAIN");
        Run empty = samsaCli("", "users", "add", "--user", "cli-x");
        Run noFile = samsaCli("", "users", "add", "--user", "cli-x", "--password-file", "/nonexistent/pw");

        assertThat(few.exitCode()).isEqualTo(1);
        assertThat(few.err()).isEqualTo(
                "samsa: cannot set the SCRAM-SHA-256 credential of user 'cli-few': Too few iterations\n");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("samsa: cannot remove the SCRAM-SHA-512 credential of user 'cli-ghost': "
                + "Attempt to delete a user credential that does not exist\n");
        assertThat(mechanism.exitCode()).isEqualTo(2);
        assertThat(mechanism.err()).contains("unknown SCRAM mechanism 'PLAIN'");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).isEqualTo("samsa: the password is empty\n");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).isEqualTo("samsa: cannot read /nonexistent/pw: no such file\n");
        assertThat(samsaCli("", "users", "list").out()).doesNotContain("cli-few").doesNotContain("cli-x");
    }
}
