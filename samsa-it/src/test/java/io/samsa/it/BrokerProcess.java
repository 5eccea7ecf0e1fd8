package io.samsa.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Samsa broker in a child JVM ({@code samsa server}), on a fixed port and data directory, so that it can be killed
 * with SIGKILL and started again on the same data. Its output is appended to {@code broker.log} in the directory.
 * Not thread-safe: one owner (the test).
 */
final class BrokerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Map<String, String> overrides;
    private final Path log;
    private Process process;

    private BrokerProcess(Path dir, int port, Map<String, String> overrides) {
        this.dir = dir;
        this.port = port;
        this.overrides = overrides;
        this.log = dir.resolve("broker.log");
    }

    /** Starts a broker on a free port with data under {@code dir}/logs and waits until it accepts connections. */
    static BrokerProcess start(Path dir, Map<String, String> overrides) throws Exception {
        BrokerProcess broker = new BrokerProcess(dir, Ports.freePort(), overrides);
        broker.startProcess();
        return broker;
    }

    /** Starts the process again (same port, same data) and waits until it accepts connections. */
    void startProcess() throws Exception {
        List<String> args = new ArrayList<>(List.of("server",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + dir.resolve("logs"),
                "--override", "http.listeners=http://127.0.0.1:0")); // never the default 9644
        overrides.forEach((k, v) -> {
            args.add("--override");
            args.add(k + "=" + v);
        });
        Files.writeString(log, "=== starting broker on port " + port + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = ChildJvm.builder(log, List.of(), "io.samsa.cli.SamsaCommand", args).start();
        Ports.awaitAccepting(port, Duration.ofSeconds(60), process::isAlive, this::output);
    }

    /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. Waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("broker did not die after SIGKILL");
        }
        Files.exists(log); // keep the log for the report
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Everything the broker printed so far (all incarnations). */
    String output() {
        return ChildJvm.read(log);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: clean shutdown
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
