package io.samsa.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Test kit: a Samsa cluster of real processes, one {@code samsa server --config node<id>.properties} child JVM per
 * node (the command a user runs), for faults one JVM cannot fake: {@link #kill} ({@code kill -9}), {@link #pause}
 * ({@code SIGSTOP}) and {@link #resume} ({@code SIGCONT}), {@link #restart}. Each node's directory is
 * {@code <dir>/node<id>} with its properties file, its data ({@code logs/}) and its output ({@code server.log}, all
 * incarnations).
 *
 * <p>By default the nodes share 127.0.0.1; {@link NetworkNamespaces#cluster} puts each in its own network namespace.
 * Not thread-safe: one owner (the test). {@link #close} stops every node, even after failures.
 */
final class ClusterProcesses implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final ClusterLayout layout;
    private final IntFunction<List<String>> launcher;
    private final Map<String, String> overrides;
    private final Map<Integer, Process> processes = new TreeMap<>();

    /**
     * @param launcher per node id, the command words that run the JVM's command line (empty: run it directly; e.g.
     *                 {@code ip netns exec <ns>})
     */
    ClusterProcesses(Path dir, ClusterLayout layout, IntFunction<List<String>> launcher, Map<String, String> overrides) {
        this.dir = dir;
        this.layout = layout;
        this.launcher = launcher;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts {@code size} nodes on 127.0.0.1 and waits until all accept connections. */
    static ClusterProcesses startLoopback(Path dir, int size, Map<String, String> overrides) throws Exception {
        ClusterProcesses cluster = new ClusterProcesses(dir, ClusterLayout.loopback(size), id -> List.of(), overrides);
        cluster.startAll();
        return cluster;
    }

    /** Writes every node's properties file, starts all nodes at once, waits until each accepts connections. */
    void startAll() throws Exception {
        try {
            for (int id : layout.nodeIds()) {
                launch(id);
            }
            for (int id : layout.nodeIds()) {
                awaitAccepting(id);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Node {@code id}'s properties file (written at each start). */
    Path propertiesFile(int id) {
        return nodeDir(id).resolve("node" + id + ".properties");
    }

    Path nodeDir(int id) {
        return dir.resolve("node" + id);
    }

    Path logDir(int id) {
        return nodeDir(id).resolve("logs");
    }

    private void launch(int id) throws IOException {
        Files.createDirectories(nodeDir(id));
        Map<String, String> props = new java.util.LinkedHashMap<>(layout.properties(id, logDir(id)));
        props.put("http.listeners", "http://127.0.0.1:0"); // never the default 9644: brokers side by side
        props.putAll(overrides);
        Files.writeString(propertiesFile(id), ClusterLayout.text(props));
        Path log = nodeDir(id).resolve("server.log");
        Files.writeString(log, "=== starting node " + id + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = ChildJvm.builder(log, List.of(), "io.samsa.cli.SamsaCommand",
                List.of("server", "--config", propertiesFile(id).toString()));
        List<String> command = new ArrayList<>(launcher.apply(id));
        command.addAll(builder.command());
        builder.command(command);
        processes.put(id, builder.start());
    }

    private void awaitAccepting(int id) {
        Process process = processes.get(id);
        await("node " + id + " accepting on " + layout.clientAddress(id)).atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("node " + id + " exited before listening:\n" + output(id));
                    }
                    return accepting(id);
                });
    }

    /** True when node {@code id}'s client listener accepts a TCP connection within 500 ms. */
    boolean accepting(int id) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(layout.hosts().get(id), layout.clientPorts().get(id)), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Set<Integer> nodeIds() {
        return layout.nodeIds();
    }

    /** Every node's client address. */
    String bootstrapServers() {
        return layout.bootstrapServers();
    }

    String bootstrapServers(int id) {
        return layout.clientAddress(id);
    }

    long pid(int id) {
        return process(id).pid();
    }

    private Process process(int id) {
        Process process = processes.get(id);
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return process;
    }

    /** {@code kill -9}: no shutdown hook, no flush, no clean-shutdown marker. Waits until the process is gone. */
    void kill(int id) throws InterruptedException {
        Process process = process(id);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + id + " did not die after SIGKILL");
        }
    }

    /** SIGSTOP: the node freezes (no heartbeats, no Raft, sockets stay open) until {@link #resume}. */
    void pause(int id) throws Exception {
        signal(id, "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume(int id) throws Exception {
        signal(id, "CONT");
    }

    private void signal(int id, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(id))).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid(id) + " failed");
        }
    }

    /** SIGTERM: a clean shutdown; waits up to 60 s for the process to exit. */
    void stop(int id) throws InterruptedException {
        Process process = processes.get(id);
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts node {@code id} again (stopping it cleanly first if it runs) on its ports and data; waits for it. */
    void restart(int id) throws Exception {
        stop(id);
        launch(id);
        awaitAccepting(id);
    }

    /** Starts a stopped or killed node {@code id} again; waits until it accepts connections. */
    void start(int id) throws Exception {
        Process process = processes.get(id);
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + id + " is running");
        }
        launch(id);
        awaitAccepting(id);
    }

    boolean isAlive(int id) {
        Process process = processes.get(id);
        return process != null && process.isAlive();
    }

    /** Everything node {@code id} printed so far (all incarnations). */
    String output(int id) {
        return ChildJvm.read(nodeDir(id).resolve("server.log"));
    }

    /** Resumes paused nodes, then stops every node (SIGTERM, SIGKILL after 60 s). */
    @Override
    public void close() {
        for (Map.Entry<Integer, Process> e : processes.entrySet()) {
            if (e.getValue().isAlive()) {
                try {
                    new ProcessBuilder("kill", "-CONT", Long.toString(e.getValue().pid())).start().waitFor(10,
                            TimeUnit.SECONDS);
                } catch (IOException | InterruptedException ignored) {
                    // best effort: SIGTERM and SIGKILL follow
                }
                e.getValue().destroy();
            }
        }
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ex) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
