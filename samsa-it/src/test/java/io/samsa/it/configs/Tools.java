package io.samsa.it.configs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Apache Kafka 4.3.1's own command-line tools ({@code kafka.admin.ConfigCommand},
 * {@code org.apache.kafka.tools.TopicCommand}) run in a child JVM on the test classpath (they call {@code Exit}), as
 * {@code io.samsa.it.ChildJvm} does; and the stored batch codecs of a partition, read with Kafka's record classes.
 */
final class Tools {
    private Tools() {
    }

    /** Exit code and combined stdout+stderr of a finished tool. */
    record Result(int exitCode, String output) {
    }

    static Result run(Path workDir, String mainClass, List<String> args) throws Exception {
        Path log = Files.createTempFile(workDir, "tool-", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath(), mainClass));
        cmd.addAll(args);
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError(mainClass + " " + args + " did not finish:\n" + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The compression codec of every batch stored for {@code topic-partition}, in offset order. */
    static List<String> storedCodecs(Path logDir, String topic, int partition) throws IOException {
        List<String> codecs = new ArrayList<>();
        List<Path> segments;
        try (var files = Files.list(logDir.resolve(topic + "-" + partition))) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        for (Path segment : segments) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (RecordBatch batch : records.batches()) {
                    codecs.add(batch.compressionType().name);
                }
            }
        }
        return codecs;
    }

    /** The number of segment files ({@code .log}) of {@code topic-partition}. */
    static long segmentCount(Path logDir, String topic, int partition) throws IOException {
        try (var files = Files.list(logDir.resolve(topic + "-" + partition))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }
}
