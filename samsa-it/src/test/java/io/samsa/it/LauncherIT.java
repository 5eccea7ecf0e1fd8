package io.samsa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code samsa} launcher's JDK discovery ({@code ./samsa jdk}): a JDK's version comes from its {@code release}
 * file without running it; a JDK without one is probed once and the answer cached by the java binary's path and
 * mtime, so a replaced binary is probed again.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("samsa");

    @TempDir
    Path tmp;

    @Test
    void versionFromTheReleaseFileWithoutRunningTheJdk() throws Exception {
        Path jdk = fakeJdk("with-release", "22");
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"22.0.1\"\n");

        String chosen = launcherJdk(jdk);

        assertThat(chosen).isEqualTo(jdk + " (Java 22)");
        assertThat(probes(jdk)).isZero();
    }

    @Test
    void probedVersionIsCachedUntilTheJavaBinaryChanges() throws Exception {
        Path jdk = fakeJdk("no-release", "22");

        assertThat(launcherJdk(jdk)).isEqualTo(jdk + " (Java 22)");
        assertThat(launcherJdk(jdk)).isEqualTo(jdk + " (Java 22)");
        assertThat(probes(jdk)).as("second start uses the cache").isEqualTo(1);

        // the JDK is replaced in place by an older one: a new binary, a new mtime
        writeJava(jdk, "17");
        Files.setLastModifiedTime(jdk.resolve("bin/java"), FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(launcherJdk(jdk)).as("a JDK 17 is refused").doesNotStartWith(jdk.toString());
        assertThat(probes(jdk)).as("the changed binary was probed again").isEqualTo(2);
    }

    @Test
    void tooOldJdkInJavaHomeIsSkipped() throws Exception {
        Path jdk = fakeJdk("old", "17");
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");

        assertThat(launcherJdk(jdk)).doesNotStartWith(jdk.toString()).contains("(Java ");
    }

    /** Runs {@code samsa jdk} with {@code JAVA_HOME=javaHome} and a private cache dir; returns its line. */
    private String launcherJdk(Path javaHome) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "jdk").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("SAMSA_CACHE_DIR", tmp.resolve("cache").toString());
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    /** A directory with bin/javac and a bin/java that reports {@code version} and counts its runs. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path jdk = Files.createDirectories(tmp.resolve(name).resolve("bin")).getParent();
        executable(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
        writeJava(jdk, version);
        return jdk;
    }

    private static void writeJava(Path jdk, String version) throws IOException {
        Path java = jdk.resolve("bin/java");
        Files.deleteIfExists(java);
        executable(java, String.join("\n", List.of("#!/bin/sh",
                "echo run >> \"$(dirname \"$0\")/../probes\"",
                "echo 'Property settings:' >&2",
                "echo '    java.specification.version = " + version + "' >&2",
                "echo 'openjdk version \"" + version + "\"' >&2", "")));
    }

    private static long probes(Path jdk) throws IOException {
        Path log = jdk.resolve("probes");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
