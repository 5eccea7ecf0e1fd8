package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as an operator uses it ({@code docs/operations/packaging.md}): {@code samsa-VERSION.tar.gz},
 * built by samsa-dist in the same build from the jars already made, unpacked into an empty folder; {@code bin/samsa
 * server --config config/server.properties} started as a process; kcat produces and consumes; {@code bin/samsa} runs a
 * client command; SIGTERM stops the broker cleanly.
 */
class TarballIT {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path work;
    private Process broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The newest {@code samsa-*.tar.gz} of samsa-dist (built before samsa-it: a test dependency). */
    private static Path tarball() throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve("samsa-dist/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("samsa-.+\\.tar\\.gz"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no samsa-*.tar.gz in samsa-dist/target: build samsa-dist"));
        }
    }

    private ProcessBuilder launcher(Path home, List<String> args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/samsa").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SAMSA_CACHE_DIR", work.resolve("cache").toString());
        pb.environment().put("SAMSA_HEAP_OPTS", "-Xms64m -Xmx512m");
        return pb;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void theTarballRunsABrokerThatKcatUses() throws Exception {
        Kcat.requireInstalled();
        // Given the tarball unpacked into an empty folder
        Path tarball = tarball();
        String folder = tarball.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
        Process untar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", work.toString())
                .redirectErrorStream(true).start();
        assertThat(untar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(untar.exitValue()).isZero();
        Path home = work.resolve(folder);

        // Then it has Kafka's layout
        assertThat(home.resolve("bin/samsa")).isExecutable();
        assertThat(home.resolve("config/server.properties")).isRegularFile();
        assertThat(home.resolve("config/cluster/node1.properties")).isRegularFile();
        try (Stream<Path> libs = Files.list(home.resolve("libs"))) {
            assertThat(libs.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("samsa-cli-"))
                    .anyMatch(name -> name.startsWith("kafka-clients-"))
                    .allMatch(name -> name.endsWith(".jar"));
        }
        assertThat(Files.readString(home.resolve("bin/samsa-completion.bash")))
                .contains("complete -F").contains("topics").contains("--bootstrap-server");

        // When the broker is started from it with the documented file, as docs/operations/packaging.md shows
        int port = Ports.freePort();
        Path log = work.resolve("broker.log");
        broker = launcher(home, List.of("server", "--config", "config/server.properties",
                        "--override", "listeners=PLAINTEXT://localhost:" + port,
                        "--override", "http.listeners=http://127.0.0.1:0",
                        "--override", "log.dirs=" + work.resolve("data")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Ports.awaitAccepting(port, Duration.ofSeconds(90), broker::isAlive, () -> read(log));
        String bootstrap = "localhost:" + port;

        // Then kcat produces and consumes through it
        Kcat.Result produced = Kcat.run(work, "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8),
                List.of("-b", bootstrap, "-t", "events", "-P"));
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();
        Kcat.Result consumed = Kcat.run(work, new byte[0],
                List.of("-b", bootstrap, "-t", "events", "-C", "-o", "beginning", "-e", "-q"));
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines()).containsExactly("one", "two", "three");

        // and bin/samsa runs the client commands too
        Path topicsOut = work.resolve("topics.out");
        Process topics = launcher(home, List.of("topics", "list", "--bootstrap-server", bootstrap))
                .redirectErrorStream(true).redirectOutput(topicsOut.toFile()).start();
        assertThat(topics.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(topics.exitValue()).as(read(topicsOut)).isZero();
        assertThat(read(topicsOut).lines()).contains("events");

        // When it is asked to stop with SIGTERM (systemd's stop), Then it stops cleanly
        broker.destroy();
        assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as(read(log)).isTrue();
        assertThat(read(log)).contains("Samsa stopped cleanly")
                .doesNotContain("Unknown configuration key")
                .doesNotContain("accepted, not yet used")
                .as("the JVM's class-data archive notes stay out of the log").doesNotContain("[warning][cds]");
        assertThat(work.resolve("cache")).as("the class-data archive written at exit").isNotEmptyDirectory();
    }
}
