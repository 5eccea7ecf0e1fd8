package io.samsa.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a child JVM (for code that calls System.exit or must be killed). */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The result of a finished child: exit code and the combined stdout+stderr. */
    public record Result(int exitCode, String output) {
    }

    /** The java binary of this JVM. */
    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The real test classpath (Failsafe may run us from a manifest-only jar). */
    public static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** A process builder for {@code java -cp <test classpath> mainClass args...} with its output sent to {@code log}. */
    public static ProcessBuilder builder(Path log, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /** Runs to completion (at most {@code timeoutSeconds}); the child is killed on timeout. */
    public static Result run(Path workDir, String mainClass, List<String> args, long timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(workDir, "child-", ".log");
        Process process = builder(log, List.of(), mainClass, args).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(mainClass + " " + args + " did not finish in " + timeoutSeconds + " s:\n"
                        + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            process.destroyForcibly();
        }
    }

    public static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + log + ": " + e + ">";
        }
    }
}
