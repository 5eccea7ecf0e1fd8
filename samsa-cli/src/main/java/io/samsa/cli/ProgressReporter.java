package io.samsa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints the live progress line of a {@code samsa perf} run on stderr every interval, from its own daemon thread:
 * rewritten in place ({@code \r}, erase to the end of line) when stderr is a terminal, one line per interval
 * otherwise. {@link #close()} (idempotent) stops it and ends the in-place line. Thread-safe.
 */
final class ProgressReporter implements AutoCloseable {
    /** How progress is shown ({@code --progress}). */
    enum Mode {
        /** In place on a terminal, lines otherwise. */
        auto,
        /** Rewritten in place. */
        inplace,
        /** One line per interval. */
        lines,
        /** Nothing. */
        off
    }

    private final PrintWriter err;
    private final boolean inPlace;
    private final ScheduledExecutorService timer;
    private boolean printed;
    private boolean closed;

    private ProgressReporter(PrintWriter err, boolean inPlace, ScheduledExecutorService timer) {
        this.err = err;
        this.inPlace = inPlace;
        this.timer = timer;
    }

    /**
     * Starts printing {@code mode}'s progress of {@code stats} towards {@code total} records every
     * {@code intervalMs} (0 or mode off: never); in place with a bar, or as lines without.
     */
    static ProgressReporter start(String mode, PerfStats stats, long total, PrintWriter err, Mode how,
            long intervalMs) {
        if (how == Mode.off || intervalMs <= 0) {
            return new ProgressReporter(err, false, null);
        }
        boolean inPlace = how == Mode.inplace || (how == Mode.auto && stderrIsTerminal());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "samsa-perf-progress");
            t.setDaemon(true);
            return t;
        });
        ProgressReporter reporter = new ProgressReporter(err, inPlace, timer);
        timer.scheduleAtFixedRate(() -> reporter.print(
                        PerfReport.progressLine(mode, stats.progress(System.nanoTime()), total, inPlace)),
                intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return reporter;
    }

    private synchronized void print(String line) {
        if (closed) {
            return;
        }
        if (inPlace) {
            err.print("\r" + line + "\033[K");
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (inPlace && printed) {
                err.println();
                err.flush();
            }
        }
    }

    /**
     * True when file descriptor 2 is a terminal: {@code -Dsamsa.perf.tty=true|false} decides when set, else the
     * target of {@code /proc/self/fd/2} (Linux) is a {@code /dev/pts/N} or {@code /dev/ttyN}.
     */
    static boolean stderrIsTerminal() {
        String forced = System.getProperty("samsa.perf.tty");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString().toLowerCase(Locale.ROOT);
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
