package io.samsa.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the {@code samsa perf} modes: validates the options, runs the mode, prints the summary (text, or JSON with
 * {@code --json}) on stdout and turns client failures into one line. A run that ends short of {@code --records}
 * (timeout) prints its summary and then fails with exit code 1.
 */
abstract class PerfRunCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    PerfOptions perf;

    @Spec
    CommandSpec spec;

    /** The outcome of a run: its summary, and why it stopped early (null when it did not). */
    record Outcome(PerfSummary summary, String shortfall) {
    }

    @Override
    public final Integer call() {
        perf.validate(spec, minRecordSize());
        Outcome outcome;
        try {
            outcome = run(spec.commandLine().getErr());
        } catch (CliException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (Exception e) {
            throw client.translate(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (perf.json) {
            out.println(PerfReport.json(outcome.summary()));
        } else {
            out.print(PerfReport.text(outcome.summary()));
        }
        out.flush();
        if (outcome.shortfall() != null) {
            throw new CliException(outcome.shortfall());
        }
        return 0;
    }

    /** The smallest {@code --record-size} of the mode. */
    int minRecordSize() {
        return 0;
    }

    /** Runs the mode; progress goes to {@code err}. */
    abstract Outcome run(PrintWriter err) throws Exception;

    /** A progress reporter for this run's options. */
    ProgressReporter progress(String mode, PerfStats stats, PrintWriter err) {
        return ProgressReporter.start(mode, stats, err, perf.progress, perf.intervalMs);
    }
}
