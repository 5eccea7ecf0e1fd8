package io.samsa.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs Samsa's JMH benchmarks. Without arguments: every benchmark with 1 fork, 2 warmup and 3 measurement iterations
 * of 2 s. With arguments: standard JMH command-line options (e.g. {@code AppendBenchmark -f 1 -wi 2 -i 3}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = args.length > 0
                ? new CommandLineOptions(args)
                : new OptionsBuilder()
                        .include("io\\.samsa\\.bench\\..*")
                        .forks(1)
                        .warmupIterations(2)
                        .warmupTime(TimeValue.seconds(2))
                        .measurementIterations(3)
                        .measurementTime(TimeValue.seconds(2))
                        .build();
        new Runner(options).run();
    }
}
