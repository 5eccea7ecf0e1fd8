package io.samsa.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the {@code samsa perf} modes: validates the options, runs the mode, prints the summary (text, or JSON with
 * {@code --json}) on stdout and turns client failures into one line. A run that ends short of {@code --records}
 * (timeout) prints its summary and then fails with exit code 1. Ctrl-C during a run prints the summary so far
 * (from a shutdown hook).
 */
abstract class PerfRunCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    PerfOptions perf;

    @Spec
    CommandSpec spec;

    /** The run in progress, for the Ctrl-C summary; set by {@link #progress}. */
    private volatile PerfStats running;
    private volatile String runningMode;
    private volatile ProgressReporter reporter;
    private volatile boolean finished;

    /** The outcome of a run: its summary, and why it stopped early (null when it did not). */
    record Outcome(PerfSummary summary, String shortfall) {
    }

    @Override
    public final Integer call() {
        perf.validate(spec, minRecordSize());
        validateMode();
        Outcome outcome;
        Thread interrupted = new Thread(this::printPartialSummary, "samsa-perf-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            outcome = run(spec.commandLine().getErr());
        } catch (CliException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (Exception e) {
            throw client.translate(e);
        } finally {
            finished = true;
            removeHook(interrupted);
        }
        print(outcome.summary());
        if (outcome.shortfall() != null) {
            throw new CliException(outcome.shortfall());
        }
        return 0;
    }

    /** Records sent first and left out of the numbers. */
    long warmupRecords() {
        return 0;
    }

    /** The mode's own option checks (usage errors). */
    void validateMode() {
    }

    /** The smallest {@code --record-size} of the mode. */
    int minRecordSize() {
        return 0;
    }

    /** Runs the mode; progress goes to {@code err}. */
    abstract Outcome run(PrintWriter err) throws Exception;

    /** A progress reporter for this run's options; also marks {@code stats} as the run to summarise on Ctrl-C. */
    ProgressReporter progress(String mode, PerfStats stats, PrintWriter err) {
        running = stats;
        runningMode = mode;
        reporter = ProgressReporter.start(mode, stats, perf.records - warmupRecords(), err, perf.progress,
                perf.intervalMs);
        return reporter;
    }

    private void print(PerfSummary summary) {
        PrintWriter out = spec.commandLine().getOut();
        if (perf.json) {
            out.println(PerfReport.json(summary));
        } else {
            out.print(PerfReport.text(summary));
        }
        out.flush();
    }

    /** Ctrl-C (or another JVM shutdown) during a run: the numbers so far, as the summary would show them. */
    private void printPartialSummary() {
        PerfStats stats = running;
        if (finished || stats == null) {
            return;
        }
        ProgressReporter r = reporter;
        if (r != null) {
            r.close();
        }
        print(stats.summary(runningMode, java.util.Map.of()));
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
    }
}
