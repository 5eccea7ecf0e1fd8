package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code samsa server}'s start without picocli ({@link ServerCommand#parsePlain}) and its fallback to picocli. */
class ServerFastPathTest {
    @TempDir
    Path dir;

    @Test
    void configAndOverridesAreParsedInBothForms() {
        ServerCommand command = ServerCommand.parsePlain(new String[] {"server", "--config", "a.properties",
                "--override", "log.dirs=/x", "--override=num.partitions=3"}).orElseThrow();

        assertThat(command.config).isEqualTo(Path.of("a.properties"));
        assertThat(command.overrides).containsExactly("log.dirs=/x", "num.partitions=3");
        assertThat(ServerCommand.parsePlain(new String[] {"server", "--config=b"}).orElseThrow().config)
                .isEqualTo(Path.of("b"));
        assertThat(ServerCommand.parsePlain(new String[] {"server"}).orElseThrow().overrides).isEmpty();
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        for (String[] args : new String[][] {
                {"server", "--help"}, {"server", "-v"}, {"-v", "server"}, {"server", "--config"},
                {"server", "--config", "a", "--config", "b"}, {"server", "--overide", "x=y"},
                {"server", "--override", "--config"}, {"topics", "list"}, {}}) {
            assertThat(ServerCommand.parsePlain(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void anInvalidValueStopsWithTheSameMessageAndExitCodeAsThroughPicocli() throws Exception {
        String[] args = {"server", "--override", "num.partitions=zero", "--override", "log.dirs=" + dir};
        StringWriter direct = new StringWriter();

        int directCode = ServerCommand.parsePlain(args).orElseThrow().callPlain(new PrintWriter(direct, true));
        StringWriter viaPicocli = new StringWriter();
        int picocliCode = SamsaCommand.newCommandLine(System.in, new PrintWriter(new StringWriter(), true),
                new PrintWriter(viaPicocli, true)).execute(args);

        assertThat(directCode).isEqualTo(picocliCode).isEqualTo(SamsaCommand.EXIT_USAGE);
        assertThat(direct.toString()).isEqualTo(viaPicocli.toString()).startsWith("samsa: ").contains("num.partitions");
    }
}
