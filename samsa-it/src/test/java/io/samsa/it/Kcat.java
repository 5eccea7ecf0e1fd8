package io.samsa.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the kcat binary (Debian package {@code kcat}; librdkafka inside) with stdin from bytes. */
public final class Kcat {
    private Kcat() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Fails with an install hint when kcat is not on the PATH: CI installs it (./samsa test does). */
    public static void requireInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kcat"))) {
                return;
            }
        }
        throw new AssertionError("kcat is not on the PATH: install it with 'apt-get install kcat' "
                + "(./samsa test installs it when run as root)");
    }

    public static Result run(Path workDir, byte[] stdin, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("kcat");
        cmd.addAll(args);
        Path in = Files.createTempFile(workDir, "kcat-in-", ".txt");
        Path out = Files.createTempFile(workDir, "kcat-out-", ".txt");
        Path err = Files.createTempFile(workDir, "kcat-err-", ".txt");
        Files.write(in, stdin);
        Process process = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("kcat " + args + " did not finish in 60 s; stderr:\n" + read(err));
        }
        return new Result(process.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
