package io.samsa.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options every {@code samsa perf} mode shares; {@link #validate} reports bad values as usage errors. */
final class PerfOptions {
    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "samsa-perf",
            description = "Topic (default: ${DEFAULT-VALUE}); produce and e2e create it when missing.")
    String topic;

    @Option(names = "--records", paramLabel = "N", defaultValue = "1000000",
            description = "Records to send or read (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--record-size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Value size in bytes (default: ${DEFAULT-VALUE}); no key.")
    int recordSize;

    @Option(names = "--rate", paramLabel = "RECORDS/S", defaultValue = "-1",
            description = "Target send rate in records/s (default: unlimited, as -1).")
    double rate;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the topic when it is created (default: the broker's num.partitions).")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "R",
            description = "Replication factor of the topic when it is created (default: the broker's).")
    Short replicationFactor;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "Client config (producer or consumer), e.g. buffer.memory=67108864; wins over the flags.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout.")
    boolean json;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "Progress on stderr: auto (in place on a terminal, else lines), inplace, lines, off.")
    ProgressReporter.Mode progress;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "Progress interval in ms (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "consume, e2e: stop after MS ms without a record (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    /** Throws picocli's usage error for out-of-range values; {@code minRecordSize} is the mode's smallest size. */
    void validate(CommandSpec spec, int minRecordSize) {
        if (records <= 0) {
            throw new ParameterException(spec.commandLine(), "--records must be > 0");
        }
        if (recordSize < minRecordSize) {
            throw new ParameterException(spec.commandLine(), "--record-size must be >= " + minRecordSize);
        }
        if (rate == 0 || (rate < 0 && rate != -1)) {
            throw new ParameterException(spec.commandLine(), "--rate must be > 0, or -1 for unlimited");
        }
        if (partitions != null && partitions <= 0) {
            throw new ParameterException(spec.commandLine(), "--partitions must be > 0");
        }
        if (replicationFactor != null && replicationFactor <= 0) {
            throw new ParameterException(spec.commandLine(), "--replication-factor must be > 0");
        }
        if (intervalMs < 0) {
            throw new ParameterException(spec.commandLine(), "--interval-ms must be >= 0");
        }
        if (timeoutMs <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be > 0");
        }
    }
}
